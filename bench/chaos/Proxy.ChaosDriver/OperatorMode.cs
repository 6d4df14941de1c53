namespace Proxy.ChaosDriver;

/// <summary>What the operator does through the admin API during a phase.</summary>
internal enum OperatorMode
{
    /// <summary>No admin calls.</summary>
    None,

    /// <summary>
    /// A weight change at the start and whenever the script asks (a <c>write</c> event, e.g. in the middle of a fault),
    /// each one after checking that the previous is still in force; a read of every instance every second.
    /// </summary>
    Steady,

    /// <summary>A three-way weight change every 250 ms, blue moving by 5 points each time.</summary>
    Shift,

    /// <summary>Set, rollback, undo, promote green, promote blue, set, undo — one every 500 ms; ends with blue stable.</summary>
    Cycle,
}
