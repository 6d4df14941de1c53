using BenchmarkDotNet.Attributes;
using Proxy.Traffic.Splitting;
using Proxy.Traffic.State;

namespace Proxy.Benchmarks;

/// <summary>Snapshot lookup and bucket mapping on the request path, and a weight change, with 1 and 1,000 split routes.</summary>
/// <remarks>The store persists to the in-memory repository here: the figures are the store's own cost, not SQLite's.</remarks>
public class SplitStoreBenchmarks
{
    private static readonly SplitEdit s_edit = new(SplitActions.SetWeights, "bench", SplitChangeSource.Api);
    private SplitStore _store = null!;
    private string _routeId = null!;
    private BucketLayout _layout = null!;
    private int _bucket;
    private int _step;

    [Params(1, 1000)]
    public int Routes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _store = new SplitStore();
        var definitions = Enumerable.Range(0, Routes).ToDictionary(i => $"route-{i}", i => Definition($"svc{i}", 1000));
        _store.ReplaceAsync(definitions, CancellationToken.None).GetAwaiter().GetResult();

        // A route id string that is not the dictionary's own instance, as YARP's route config would hand it over.
        _routeId = new string($"route-{Routes / 2}".AsSpan());
        _layout = BucketLayout.Create([9000, 0, 1000], 0);
    }

    [Benchmark(Description = "SplitStore.TryGetSnapshot")]
    public SplitSnapshot? TryGetSnapshot() => _store.TryGetSnapshot(_routeId, out var snapshot) ? snapshot : null;

    [Benchmark(Description = "BucketLayout.ClusterFor")]
    public int ClusterFor()
    {
        _bucket = (_bucket + 3_331) % BasisPoints.Total;
        return _layout.ClusterFor(_bucket);
    }

    /// <summary>
    /// A weight change as the admin API makes it: committed to the (in-memory) repository, then a new snapshot swapped
    /// in for one route. When it returns, the next request sees the new weights; YARP's configuration is not touched.
    /// </summary>
    [Benchmark(Description = "SplitStore.UpdateAsync (weight change)")]
    public Task<SplitUpdateResult> UpdateWeights()
    {
        var canary = (++_step % 100) * 100;
        var service = $"svc{Routes / 2}";
        return _store.UpdateAsync(_routeId, s_edit, current => SplitProposal.To(current.Definition.WithWeights(
            [new($"{service}-blue", BasisPoints.Total - canary), new($"{service}-green", 0), new($"{service}-canary", canary)])),
            CancellationToken.None);
    }

    private static SplitDefinition Definition(string service, int canary) =>
        new($"{service}-blue", [new($"{service}-blue", BasisPoints.Total - canary), new($"{service}-green", 0), new($"{service}-canary", canary)], null, []);
}
