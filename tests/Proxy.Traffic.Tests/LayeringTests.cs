using System.Reflection;

namespace Proxy.Traffic.Tests;

/// <summary>
/// The configuration model and the features it configures are read by the admin API, never the other way round: a type in
/// these namespaces that names an admin type in its signatures couples the file's schema to the API's contracts.
/// </summary>
public class LayeringTests
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;

    [Theory]
    [InlineData("Proxy.Traffic.Configuration")]
    [InlineData("Proxy.Traffic.Mirroring")]
    public void A_lower_layer_names_no_admin_type(string layer)
    {
        var types = typeof(EventIds).Assembly.GetTypes().Where(type => InNamespace(type, layer)).ToArray();
        Assert.NotEmpty(types);

        var offending = types
            .SelectMany(type => Signatures(type).SelectMany(Expand).Where(used => InNamespace(used, "Proxy.Traffic.Admin")).Select(used => $"{type.FullName} -> {used.FullName}"))
            .Distinct()
            .ToArray();

        Assert.Empty(offending);
    }

    private static bool InNamespace(Type type, string prefix) =>
        type.Namespace is { } name && (name == prefix || name.StartsWith(prefix + ".", StringComparison.Ordinal));

    private static IEnumerable<Type> Signatures(Type type)
    {
        if (type.BaseType is { } baseType)
        {
            yield return baseType;
        }

        foreach (var contract in type.GetInterfaces())
        {
            yield return contract;
        }

        foreach (var field in type.GetFields(Declared))
        {
            yield return field.FieldType;
        }

        foreach (var property in type.GetProperties(Declared))
        {
            yield return property.PropertyType;
        }

        foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            if (method is MethodInfo info)
            {
                yield return info.ReturnType;
            }

            foreach (var parameter in method.GetParameters())
            {
                yield return parameter.ParameterType;
            }
        }
    }

    private static IEnumerable<Type> Expand(Type type)
    {
        yield return type;
        if (type.HasElementType)
        {
            foreach (var element in Expand(type.GetElementType()!))
            {
                yield return element;
            }
        }

        if (type.IsGenericType)
        {
            foreach (var argument in type.GetGenericArguments().SelectMany(Expand))
            {
                yield return argument;
            }
        }
    }
}
