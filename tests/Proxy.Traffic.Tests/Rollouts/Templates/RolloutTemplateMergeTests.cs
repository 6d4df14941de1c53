using System.Collections;
using System.Reflection;
using System.Text.Json;
using Proxy.Traffic.Rollouts;
using Proxy.Traffic.Rollouts.Templates;

namespace Proxy.Traffic.Tests.Rollouts.Templates;

public class RolloutTemplateMergeTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public void Every_field_of_a_plan_comes_from_the_template_when_the_plan_leaves_it_out()
    {
        var template = (StartRolloutRequest)Sample(typeof(StartRolloutRequest), "template");
        var given = new StartRolloutRequest(Template: "t", Analysis: new RolloutAnalysisRequest());

        var merged = RolloutTemplateMerge.Merge(template, given);

        // A field added to StartRolloutRequest or RolloutAnalysisRequest that the merge does not carry fails here.
        Assert.Equal(JsonSerializer.Serialize(template with { Template = null }, Json), JsonSerializer.Serialize(merged, Json));
    }

    [Fact]
    public void Every_field_given_beside_the_template_overrides_the_template_s()
    {
        var template = (StartRolloutRequest)Sample(typeof(StartRolloutRequest), "template");
        var given = (StartRolloutRequest)Sample(typeof(StartRolloutRequest), "given");

        var merged = RolloutTemplateMerge.Merge(template, given);

        Assert.Equal(JsonSerializer.Serialize(given with { Template = null }, Json), JsonSerializer.Serialize(merged, Json));
    }

    [Fact]
    public void The_analysis_merges_field_by_field_and_lists_replace_whole()
    {
        var template = new StartRolloutRequest(
            Candidate: "canary",
            Steps: [new(10, TimeSpan.FromMinutes(1)), new(100)],
            Analysis: new(TimeSpan.FromSeconds(30), MaxErrorRate: 0.01, FailureLimit: 2, Metrics: [new("a", new("http://p:9090", "q"), Max: 1), new("b", new("http://p:9090", "q"), Max: 1)]));
        var given = new StartRolloutRequest(
            Candidate: "green", Steps: [new(50)], Analysis: new(MaxErrorRate: 0.05, Metrics: [new("c", new("http://p:9090", "q"), Min: 1)]), Template: "standard");

        var merged = RolloutTemplateMerge.Merge(template, given);

        Assert.Equal(("green", null), (merged.Candidate, merged.Template));
        Assert.Equal([new RolloutStepRequest(50)], merged.Steps!);
        Assert.Equal((TimeSpan.FromSeconds(30), 0.05, 2), (merged.Analysis!.Interval, merged.Analysis.MaxErrorRate, merged.Analysis.FailureLimit));
        Assert.Equal(["c"], merged.Analysis.Metrics!.Select(m => m.Name));
    }

    [Fact]
    public void An_empty_list_given_removes_the_template_s_checks()
    {
        var template = new StartRolloutRequest(Analysis: new(TimeSpan.FromSeconds(30), MaxErrorRate: 0.01, Metrics: [new("a", new("http://p:9090", "q"), Max: 1)]));

        Assert.Empty(RolloutTemplateMerge.Merge(template, new(Analysis: new(Metrics: []))).Analysis!.Metrics!);
    }

    [Fact]
    public void A_plan_resolves_by_template_name_ignoring_case_and_not_at_all_for_an_unknown_name()
    {
        var templates = new Dictionary<string, StartRolloutRequest>(StringComparer.OrdinalIgnoreCase) { ["standard"] = new(Strategy: "canary") };
        var plain = new StartRolloutRequest(Candidate: "canary");

        Assert.Same(plain, RolloutTemplateMerge.Resolve(plain, templates));
        Assert.Equal(new StartRolloutRequest(Candidate: "canary", Strategy: "canary"), RolloutTemplateMerge.Resolve(plain with { Template = "Standard" }, templates));
        Assert.Null(RolloutTemplateMerge.Resolve(plain with { Template = "nope" }, templates));
    }

    /// <summary>
    /// A value of <paramref name="type"/> with every member set, distinct per <paramref name="seed"/>: records through their
    /// primary constructor, lists with one element. New members of the plan's records are covered without listing them.
    /// </summary>
    private static object Sample(Type type, string seed)
    {
        var nullable = Nullable.GetUnderlyingType(type);
        type = nullable ?? type;
        var n = seed.Length; // "template" and "given" differ in length, so numbers differ too
        if (type == typeof(string))
        {
            return seed;
        }

        if (type == typeof(int) || type == typeof(long) || type == typeof(decimal) || type == typeof(double) || type == typeof(bool))
        {
            return type == typeof(bool) ? n % 2 == 0 : Convert.ChangeType(n, type, System.Globalization.CultureInfo.InvariantCulture);
        }

        if (type == typeof(TimeSpan))
        {
            return TimeSpan.FromSeconds(n);
        }

        if (type.IsEnum)
        {
            return Enum.GetValues(type).GetValue(n % Enum.GetValues(type).Length)!;
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() is var generic
            && (generic == typeof(IReadOnlyList<>) || generic == typeof(IList<>) || generic == typeof(List<>)))
        {
            var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(type.GetGenericArguments()[0]))!;
            list.Add(Sample(type.GetGenericArguments()[0], seed));
            return list;
        }

        if (type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>) || type.GetGenericTypeDefinition() == typeof(Dictionary<,>)))
        {
            var arguments = type.GetGenericArguments();
            var dictionary = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(arguments))!;
            dictionary.Add(Sample(arguments[0], seed), Sample(arguments[1], seed));
            return dictionary;
        }

        var constructor = type.GetConstructors(BindingFlags.Public | BindingFlags.Instance).OrderByDescending(c => c.GetParameters().Length).First();
        return constructor.Invoke([.. constructor.GetParameters().Select(p => Sample(p.ParameterType, seed))]);
    }

    [Fact]
    public void The_sample_sets_every_member_so_that_the_merge_tests_can_fail()
    {
        var sample = JsonSerializer.SerializeToElement(Sample(typeof(StartRolloutRequest), "given"), Json);

        Assert.All(typeof(StartRolloutRequest).GetProperties(), p => Assert.NotEqual(JsonValueKind.Null, sample.GetProperty(JsonNamingPolicy.CamelCase.ConvertName(p.Name)).ValueKind));
        Assert.All(typeof(RolloutAnalysisRequest).GetProperties(), p => Assert.NotEqual(JsonValueKind.Null, sample.GetProperty("analysis").GetProperty(JsonNamingPolicy.CamelCase.ConvertName(p.Name)).ValueKind));
    }
}
