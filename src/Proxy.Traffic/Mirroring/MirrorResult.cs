namespace Proxy.Traffic.Mirroring;

/// <summary>How a mirrored request's copy compared with the primary.</summary>
public enum MirrorResult
{
    /// <summary>Both sides answered with the same status class.</summary>
    Match,

    /// <summary>Both answered, with different status classes (e.g. 200 vs 500).</summary>
    StatusMismatch,

    /// <summary>The mirror failed to answer (connection refused, reset, no destination).</summary>
    MirrorError,

    /// <summary>The mirror did not answer within the timeout.</summary>
    MirrorTimeout,

    /// <summary>The primary had no answer from its upstream (the gateway refused it, or the client went away): nothing to compare.</summary>
    PrimaryNotAnswered,
}

/// <summary>Why a request chosen for mirroring was not copied.</summary>
public enum MirrorDropReason
{
    /// <summary>The route's limit of copies in flight was reached.</summary>
    Concurrency,

    /// <summary>The request body is larger than the limit.</summary>
    BodyTooLarge,

    /// <summary>The primary never read the body to its end (it failed first), so there was no complete copy to send.</summary>
    BodyIncomplete,
}
