namespace Proxy.Traffic.Mirroring.Diffs;

/// <summary>Why a mirrored request's answers were not compared.</summary>
public enum NotComparedReason
{
    /// <summary>An answer body was larger than the limit.</summary>
    BodyTooLarge,

    /// <summary>The route's memory for answer bodies was in use.</summary>
    Memory,

    /// <summary>The mirror gave no answer (error, timeout, no destination) or its copy was never sent.</summary>
    MirrorFailed,

    /// <summary>The primary had no upstream answer (the gateway refused it, or the client went away).</summary>
    PrimaryNotAnswered,

    /// <summary>The primary was served by the mirror cluster itself: nothing to compare it with.</summary>
    SameCluster,

    /// <summary>An answer could not be read (a compressed body that is not what it says).</summary>
    Unreadable,
}
