namespace Proxy.Traffic.State;

/// <summary>A commit did not follow the persisted revision of a setting: someone else changed it first.</summary>
public sealed class StateConflictException(string message, Exception? innerException = null) : Exception(message, innerException)
{
    /// <summary>Creates the exception for a setting whose revision is not the one a commit expected.</summary>
    public static StateConflictException For(SettingKey key, long revision, Exception? inner = null) =>
        new($"Revision {revision} of {key} does not follow its persisted revision.", inner);
}
