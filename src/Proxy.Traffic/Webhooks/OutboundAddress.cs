namespace Proxy.Traffic.Webhooks;

/// <summary>What is wrong with an address the gateway is configured to call (a webhook, a notification receiver, Prometheus).</summary>
public enum OutboundAddressProblem
{
    /// <summary>Nothing: an absolute http or https address with a host and no credentials.</summary>
    None,

    /// <summary>Not an absolute http or https address with a host (or longer than allowed).</summary>
    NotHttp,

    /// <summary>It carries <c>user:password@</c>, which would end up wherever addresses are shown.</summary>
    Credentials,
}

/// <summary>The one check of an address the gateway calls out to; each caller words the problem for its own field.</summary>
public static class OutboundAddress
{
    /// <summary>Reads <paramref name="text"/> (at most <paramref name="maxLength"/> characters) as an outbound address.</summary>
    public static OutboundAddressProblem Check(string? text, int maxLength, out Uri? address)
    {
        if (text is null || text.Length > maxLength
            || !Uri.TryCreate(text, UriKind.Absolute, out address)
            || address.Scheme is not ("http" or "https") || address.Host.Length == 0)
        {
            address = null;
            return OutboundAddressProblem.NotHttp;
        }

        return address.UserInfo.Length > 0 ? OutboundAddressProblem.Credentials : OutboundAddressProblem.None;
    }
}
