namespace Proxy.Traffic.State;

/// <summary>A commit did not follow the persisted revision of a route: someone else changed it first.</summary>
public sealed class SplitRevisionConflictException : Exception
{
    public SplitRevisionConflictException()
    {
    }

    public SplitRevisionConflictException(string message)
        : base(message)
    {
    }

    public SplitRevisionConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a route whose revision is not the one a commit expected.</summary>
    public static SplitRevisionConflictException For(string routeId, long revision, Exception? inner = null)
    {
        var message = $"Revision {revision} of route '{routeId}' does not follow its persisted revision.";
        return inner is null ? new(message) : new(message, inner);
    }
}
