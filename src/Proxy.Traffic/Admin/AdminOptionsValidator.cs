using FluentValidation;
using Microsoft.Extensions.Options;

namespace Proxy.Traffic.Admin;

/// <summary>Validates the <c>Admin</c> section at start-up; every error names its configuration path.</summary>
public sealed class AdminOptionsValidator : AbstractValidator<AdminOptions>, IValidateOptions<AdminOptions>
{
    public AdminOptionsValidator()
    {
        RuleFor(o => o.Urls).NotEmpty().OverridePropertyName("Admin:Urls").WithMessage("at least one URL is required");
        RuleFor(o => o.MaxRequestBodyBytes).GreaterThan(0).OverridePropertyName("Admin:MaxRequestBodyBytes");
        RuleFor(o => o.ApiKeys).Custom((keys, context) =>
        {
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < keys.Count; i++)
            {
                var key = keys[i];
                var path = $"Admin:ApiKeys:{i}";
                if (string.IsNullOrWhiteSpace(key.Name))
                {
                    context.AddFailure($"{path}:Name", "a name is required (it is recorded as the actor of changes)");
                }
                else if (!names.Add(key.Name))
                {
                    context.AddFailure($"{path}:Name", $"the name '{key.Name}' is used by another key");
                }

                if (key.Sha256 is not { Length: 64 } || !key.Sha256.All(char.IsAsciiHexDigit))
                {
                    context.AddFailure($"{path}:Sha256", "must be the key's SHA-256 as 64 hex digits (print it with: Proxy.Gateway hash-key)");
                }

                if (key.Role is not (AdminRoles.Viewer or AdminRoles.Operator))
                {
                    context.AddFailure($"{path}:Role", $"'{key.Role}' is not a role; use {AdminRoles.Viewer} or {AdminRoles.Operator}");
                }
            }
        });
    }

    public ValidateOptionsResult Validate(string? name, AdminOptions options)
    {
        var result = Validate(options);
        return result.IsValid
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(result.Errors.Select(e => $"{e.PropertyName}: {e.ErrorMessage}"));
    }
}
