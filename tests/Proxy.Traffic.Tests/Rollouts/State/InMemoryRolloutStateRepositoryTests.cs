using Proxy.Traffic.Rollouts.State;

namespace Proxy.Traffic.Tests.Rollouts.State;

public class InMemoryRolloutStateRepositoryTests : RolloutStateRepositoryContract
{
    protected override IRolloutStateRepository Create() => new InMemoryRolloutStateRepository();

    protected override IRolloutStateRepository Reopen(IRolloutStateRepository repository) => repository;
}
