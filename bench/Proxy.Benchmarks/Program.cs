using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// dotnet run -c Release --project bench/Proxy.Benchmarks -- --filter '*'
// In-process: the benchmarks are nanosecond-scale and need no separate build (which would also inherit the
// repository's warnings-as-errors analyzers into BenchmarkDotNet's generated project).
var config = DefaultConfig.Instance
    .AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(4).WithIterationCount(12))
    .AddDiagnoser(MemoryDiagnoser.Default)
    .WithOptions(ConfigOptions.JoinSummary);
BenchmarkSwitcher.FromAssembly(typeof(Proxy.Benchmarks.SplitDecisionBenchmarks).Assembly).Run(args, config);
