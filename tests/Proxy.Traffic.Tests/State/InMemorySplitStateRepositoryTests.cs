using Proxy.Traffic.State;

namespace Proxy.Traffic.Tests.State;

public class InMemorySplitStateRepositoryTests : SplitStateRepositoryContract
{
    protected override ISplitStateRepository Create() => new InMemorySplitStateRepository();

    protected override ISplitStateRepository Reopen(ISplitStateRepository repository) => repository;
}
