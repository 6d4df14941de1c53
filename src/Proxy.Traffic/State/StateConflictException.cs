namespace Proxy.Traffic.State;

/// <summary>A commit did not follow the persisted revision of a setting: someone else changed it first.</summary>
public sealed class StateConflictException : Exception
{
    public StateConflictException()
    {
    }

    public StateConflictException(string message)
        : base(message)
    {
    }

    public StateConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a setting whose revision is not the one a commit expected.</summary>
    public static StateConflictException For(SettingKey key, long revision, Exception? inner = null)
    {
        var message = $"Revision {revision} of {key} does not follow its persisted revision.";
        return inner is null ? new(message) : new(message, inner);
    }
}
