using BenchmarkDotNet.Attributes;
using Proxy.Traffic.Splitting;

namespace Proxy.Benchmarks;

/// <summary>Snapshot lookup and bucket mapping on the request path, and a weight change, with 1 and 1,000 split routes.</summary>
public class SplitStoreBenchmarks
{
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
    /// A weight change as the admin API makes it: a new snapshot swapped in for one route (with the in-memory state
    /// repository, so without the SQLite commit). When it returns, the next request sees the new weights; YARP's route and
    /// cluster configuration is not touched.
    /// </summary>
    [Benchmark(Description = "SplitStore.UpdateAsync (weight change)")]
    public Task<SplitUpdateResult> UpdateWeights()
    {
        var canary = (++_step % 100) * 100;
        return _store.UpdateAsync(
            _routeId,
            Edit,
            current => SplitProposal.To(current.Definition.WithWeights(
                [new($"svc{Routes / 2}-blue", BasisPoints.Total - canary), new($"svc{Routes / 2}-green", 0), new($"svc{Routes / 2}-canary", canary)])),
            CancellationToken.None);
    }

    private static readonly SplitEdit Edit = new("weights", "bench", SplitChangeSource.Api);

    private static SplitDefinition Definition(string service, int canary) =>
        new($"{service}-blue", [new($"{service}-blue", BasisPoints.Total - canary), new($"{service}-green", 0), new($"{service}-canary", canary)], null, []);
}
