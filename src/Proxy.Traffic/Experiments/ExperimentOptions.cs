namespace Proxy.Traffic.Experiments;

/// <summary>The <c>TrafficSplit:Routes:{id}:Experiment</c> section: an A/B test of the route's clusters (or a flag's variants).</summary>
public sealed class ExperimentOptions
{
    /// <summary>The experiment's name, unique on its route.</summary>
    public string? Name { get; set; }

    /// <summary>The clusters compared, control first; default every cluster of the split, stable first.</summary>
    public List<string> Arms { get; set; } = [];

    /// <summary>Compare a flag's variants instead of clusters (the flag must apply to this route); its default variant is the control.</summary>
    public string? Flag { get; set; }

    /// <summary>The requests that count as a conversion; the first, or the one marked <c>Primary</c>, decides the outcome.</summary>
    public List<GoalOptions> Goals { get; set; } = [];

    /// <summary>The test's false-positive rate (0.001–0.2); default 0.05.</summary>
    public double? Alpha { get; set; }

    /// <summary>The relative lift (percent, 0.1–1000) the "more users needed" estimate is for; default 2.</summary>
    public double? MinimumDetectableLift { get; set; }

    /// <summary>τ, the mixing standard deviation of the sequential test on the absolute lift (0.001–1); default 0.05.</summary>
    public double? MixingStandardDeviation { get; set; }

    /// <summary>Users an instance tracks exactly (1,000–10,000,000); default 1,000,000 (about 64 MB at most).</summary>
    public int? MaxUsers { get; set; }

    /// <summary>Users each arm needs before a verdict (10–1,000,000); default 100.</summary>
    public int? MinimumUsersPerArm { get; set; }
}

/// <summary>A goal: a request the gateway sees from an exposed user, on any route.</summary>
public sealed class GoalOptions
{
    /// <summary>The goal's name.</summary>
    public string? Name { get; set; }

    /// <summary>The method (any when unset).</summary>
    public string? Method { get; set; }

    /// <summary>The path: exact, or a prefix ending in <c>*</c> (case-insensitive).</summary>
    public string? Path { get; set; }

    /// <summary><c>2xx</c> (default), <c>3xx</c>, <c>4xx</c>, <c>5xx</c>, a status code such as <c>201</c>, or <c>any</c>.</summary>
    public string? Status { get; set; }

    /// <summary>The goal the outcome is decided on (default: the first).</summary>
    public bool Primary { get; set; }
}
