namespace Proxy.DemoBackend.Endpoints;

/// <summary>Header names the demo upstream writes.</summary>
internal static class DemoHeaders
{
    /// <summary>The version that served the answer.</summary>
    public const string Version = "X-Demo-Version";
}
