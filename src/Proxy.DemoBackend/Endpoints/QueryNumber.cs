using System.Globalization;

namespace Proxy.DemoBackend.Endpoints;

/// <summary>Reads a whole-number query parameter within bounds, with a problem-details answer naming it when it is not.</summary>
internal static class QueryNumber
{
    public static bool TryRead(HttpRequest request, string name, long defaultValue, long max, out long value, out IResult? problem)
    {
        problem = null;
        value = defaultValue;
        var text = request.Query[name].ToString();
        if (text.Length == 0)
        {
            return true;
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value <= max)
        {
            return true;
        }

        problem = TypedResults.ValidationProblem(
            new Dictionary<string, string[]> { [name] = [$"{name} must be a whole number from 0 to {max.ToString(CultureInfo.InvariantCulture)}."] },
            title: "Invalid query parameter");
        return false;
    }
}
