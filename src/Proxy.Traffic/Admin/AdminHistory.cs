namespace Proxy.Traffic.Admin;

/// <summary>How much of an audit trail (splits, mirrors, isolations) the admin API answers with.</summary>
internal static class AdminHistory
{
    /// <summary>Entries answered, newest first, unless the call asks for another number.</summary>
    public const int DefaultLimit = 50;
}
