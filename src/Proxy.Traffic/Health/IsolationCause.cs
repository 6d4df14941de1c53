namespace Proxy.Traffic.Health;

/// <summary>Who isolated a cluster; decides who may lift the isolation.</summary>
public enum IsolationCause
{
    /// <summary>Not isolated.</summary>
    None,

    /// <summary>Active health found no healthy destination; lifted when health returns.</summary>
    Health,

    /// <summary>An operator; lifted only by an operator's reset.</summary>
    Manual,
}
