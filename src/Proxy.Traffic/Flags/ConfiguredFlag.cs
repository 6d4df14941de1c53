namespace Proxy.Traffic.Flags;

/// <summary>A flag as the configuration file declares it, with the fingerprint runtime settings are tied to.</summary>
internal sealed record ConfiguredFlag(FlagOptions Options, string Fingerprint);
