namespace Proxy.ChaosDriver;

/// <summary>One admin call the operator made and how it was answered.</summary>
internal readonly record struct AdminCall(long AtMs, string Action, AdminClient.Answer Answer);
