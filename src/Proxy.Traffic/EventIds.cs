namespace Proxy.Traffic;

/// <summary>
/// Every log event id the library writes, in one place so that no two events share an id (an operator filters and
/// alerts on them). Ids are grouped by area; docs/health.md documents 10-17. A new <c>LoggerMessage</c> takes its id
/// from here — <c>EventIdsTests</c> fails on a duplicate or on an id that is not listed.
/// </summary>
internal static class EventIds
{
    // Configuration: the traffic split section and the file guard.
    public const int SplitFromConfiguration = 1;
    public const int SplitReloadRefused = 2;
    public const int SplitRemovedFromConfiguration = 3;
    public const int SplitRestoredFromState = 4;
    public const int SplitReplacedFromConfiguration = 5;
    public const int SplitsAppliedDetached = 6;
    public const int IsolationRestoredFromState = 7;
    public const int IsolationLiftedFromState = 8;
    public const int IsolationsUnavailable = 9;
    public const int ConfigurationFileRefused = 18;
    public const int ConfigurationFileRefusalLifted = 19;

    // Health: the cluster breaker and upstream failures (documented in docs/health.md).
    public const int BreakerOpened = 10;
    public const int BreakerHalfOpened = 11;
    public const int BreakerClosed = 12;
    public const int ClusterIsolated = 13;
    public const int BreakerTrialFailed = 14;
    public const int UpstreamFailure = 15;
    public const int UpstreamFailureSummary = 16;
    public const int UpstreamFailureDetail = 17;

    // Admin API changes.
    public const int SplitChanged = 20;
    public const int ClusterIsolatedByOperator = 30;
    public const int BreakerResetByOperator = 31;
    public const int MirrorChanged = 35;

    // Rollouts.
    public const int RolloutStep = 40;
    public const int RolloutVerdict = 41;
    public const int RolloutFinished = 42;
    public const int RolloutResumed = 43;
    public const int RolloutTickFailed = 44;
    public const int DeclaredRolloutNotStarted = 45;
    public const int RolloutAnalysisWaiting = 46;
    public const int RolloutLeaseLost = 47;
    public const int RolloutStateUnavailable = 48;
    public const int DeclaredRolloutLedElsewhere = 49;
    public const int RolloutLeading = 50;
    public const int MetricWindowsNotPublished = 51;
    public const int MetricWindowsPublishing = 52;

    // Rollouts: gradual rollback, dry run, fleet-confirmed steps.
    public const int RolloutRollbackStep = 53;
    public const int RolloutDryRunAction = 54;
    public const int RolloutFleetWaiting = 55;
    public const int RolloutFleetConfirmed = 56;
    public const int RolloutFleetTimeout = 57;
    public const int RolloutFleetUnreadable = 58;

    // Fleet sync with the shared state store (StateSync: every kind of setting). 65, 68-71 were kind-specific before issue 16.
    public const int SettingFromSharedState = 60;
    public const int SharedStateUnavailable = 61;
    public const int SharedStateResynced = 62;
    public const int SettingRemovedInSharedState = 63;
    public const int SharedStateSyncFailed = 64;
    public const int SharedStateRebuilt = 66;
    public const int SharedStateReplaced = 67;

    // TLS certificates.
    public const int CertificateRenewed = 80;
    public const int CertificateRefused = 81;

    // Feature flags and experiments (admin API changes).
    public const int FlagChanged = 100;
    public const int ExperimentStopped = 101;
    public const int ExperimentPromoted = 102;

    // Rollout webhooks and gates.
    public const int RolloutWebhookCalled = 110;
    public const int RolloutWebhooksUnsigned = 111;
    public const int RolloutWaitingAtGate = 112;
    public const int RolloutGateApproved = 113;

    // Notifications (Notifications:Webhooks).
    public const int NotificationNotDelivered = 120;
    public const int NotificationQueueFull = 121;
    public const int NotificationQueueRecovered = 122;
    public const int NotificationReceivers = 123;
    public const int NotificationIntakeDropped = 124;
    public const int NotificationUnreadableEvent = 125;
    public const int NotificationDelivered = 126;

    // Mirroring on the request path.
    public const int MirrorNoDestination = 90;
    public const int MirrorCopyFailed = 91;
    public const int MirrorSecondCopyFailed = 92;

    // Rollout analysis: metric checks from Prometheus, rollout templates.
    public const int MetricCheckQueryFailed = 130;
    public const int MetricCheckEvaluated = 131;

    // The event stream and the console (admin listener).
    public const int EventClientsDropped = 170;
    public const int ConsoleLogin = 180;
    public const int ConsoleLoginRefused = 181;
    public const int ConsoleLoginThrottled = 182;
    public const int ConsoleLogout = 183;
}
