namespace Proxy.Traffic.Flags;

/// <summary>
/// Builds the value of <c>X-Proxy-Flags</c> (<c>name=variant, name=variant</c>) for one request: every flag of the route
/// evaluated once, written into a stack buffer, and one string allocated for the header.
/// </summary>
public static class FlagHeader
{
    /// <summary>The header the upstream reads flags from.</summary>
    public const string Name = "X-Proxy-Flags";

    private const int StackLimit = 64;
    private const int StackChars = 1024;

    /// <summary>The header value for <paramref name="flags"/> under <paramref name="context"/>.</summary>
    public static string Build<TContext>(FeatureFlag[] flags, in TContext context)
        where TContext : struct, IFlagContext
    {
        Span<int> variants = flags.Length <= StackLimit ? stackalloc int[flags.Length] : new int[flags.Length];
        var length = (flags.Length - 1) * 2;
        for (var i = 0; i < flags.Length; i++)
        {
            var variant = flags[i].Evaluate(context).Variant;
            variants[i] = variant;
            length += flags[i].HeaderPart(variant).Length;
        }

        Span<char> buffer = length <= StackChars ? stackalloc char[length] : new char[length];
        var written = 0;
        for (var i = 0; i < flags.Length; i++)
        {
            if (i > 0)
            {
                buffer[written++] = ',';
                buffer[written++] = ' ';
            }

            var part = flags[i].HeaderPart(variants[i]);
            part.CopyTo(buffer[written..]);
            written += part.Length;
        }

        return new string(buffer);
    }
}
