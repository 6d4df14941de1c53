using Proxy.Traffic.Mirroring;

namespace Proxy.Traffic.Admin.Contracts;

/// <summary>A mirror's settings as the admin API shows them.</summary>
public sealed record MirrorSettingsResponse(
    string Cluster,
    decimal Percentage,
    IReadOnlyList<string> Methods,
    long MaxBodyBytes,
    int MaxConcurrency,
    TimeSpan Timeout,
    MirrorDiffSettingsResponse? Diff = null)
{
    /// <summary>The API form of settings, or null.</summary>
    public static MirrorSettingsResponse? From(MirrorSettings? settings) => settings is null ? null : new(
        settings.ClusterId, settings.Percentage, settings.Methods, settings.MaxBodyBytes, settings.MaxConcurrency, settings.Timeout,
        MirrorDiffSettingsResponse.From(settings.Answers));
}
