using System.Globalization;
using System.Text;

namespace Proxy.ChaosDriver;

/// <summary>A phase's figures: requests sent, failed and excused by kind, admin calls, changes lost, flood answers, checks.</summary>
internal sealed record PhaseReport(string Text, string TsvRow, bool Clean)
{
    public static PhaseReport From(
        string name, IReadOnlyList<RequestOutcome> outcomes, IReadOnlyList<AdminCall> calls, (IReadOnlyDictionary<string, int> Answers, TimeSpan Took) floodRun,
        PhaseChecks checks, FaultEvents events, bool timedOut)
    {
        var flood = floodRun.Answers;
        var excused = outcomes.Where(o => !o.Succeeded && events.Excuses(o)).ToList();
        var failed = outcomes.Where(o => !o.Succeeded && !events.Excuses(o)).ToList();

        // While Redis is down a write answers 503 and changes nothing: refused, not acknowledged, so nothing to lose.
        bool AdminExcused(AdminCall c) => c.Answer.Status == 503 && events.StoreDownSinceMs is { } down && c.AtMs >= down;
        var adminFailed = calls.Where(c => !c.Answer.Succeeded && !AdminExcused(c)).ToList();
        var adminRefused = calls.Count(c => !c.Answer.Succeeded && AdminExcused(c));
        var acknowledged = calls.Count(c => c.Action != "read" && c.Answer.Succeeded);
        var floodBlamed = flood.Where(f => MethodFlood.BlamesUpstream(f.Key)).ToDictionary(f => f.Key, f => f.Value);
        var checkFailures = checks.Failed.Concat(floodBlamed.Select(f => $"flood answered {f.Key} x{f.Value}")).ToList();
        if (timedOut)
        {
            checkFailures.Add("the script did not end the phase within its time limit");
        }

        var clean = failed.Count == 0 && adminFailed.Count == 0 && checks.Lost.IsEmpty && checkFailures.Count == 0;
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder()
            .AppendLine(inv, $"== {name}: {(clean ? "clean" : "FAILED")}")
            .AppendLine(inv, $"   requests {outcomes.Count} ({outcomes.Count(o => o.Post)} POST), failed {failed.Count}{Kinds(failed.Select(f => f.Kind + Cluster(f)))}, excused {excused.Count}{Kinds(excused.Select(f => f.Kind + Cluster(f)))}")
            .AppendLine(inv, $"   admin calls {calls.Count}: acknowledged writes {acknowledged}, failed {adminFailed.Count}{Kinds(adminFailed.Select(c => $"{c.Action} {c.Answer.Kind}"))}, refused while Redis was down {adminRefused}")
            .AppendLine(inv, $"   acknowledged changes lost {checks.Lost.Count}{(checks.HistoryWiped > 0 ? $" (audit entries gone with Redis's data, excused: {checks.HistoryWiped})" : "")}");
        foreach (var lost in checks.Lost.Take(5))
        {
            text.AppendLine(inv, $"     lost: {lost}");
        }

        if (flood.Count > 0)
        {
            text.AppendLine(inv, $"   flood {flood.Values.Sum()} in {floodRun.Took.TotalSeconds:0.0} s:{Kinds(flood.SelectMany(f => Enumerable.Repeat(f.Key, f.Value)))}");
        }

        foreach (var failure in checkFailures)
        {
            text.AppendLine(inv, $"   check failed: {failure}");
        }

        var row = string.Join('\t',
            name, outcomes.Count.ToString(inv), failed.Count.ToString(inv), Kinds(failed.Select(f => f.Kind)).Trim(' ', '[', ']'),
            excused.Count.ToString(inv), acknowledged.ToString(inv), adminFailed.Count.ToString(inv),
            Kinds(adminFailed.Select(c => $"{c.Action} {c.Answer.Kind}")).Trim(' ', '[', ']'), checks.Lost.Count.ToString(inv),
            string.Join("; ", checkFailures).Replace('\t', ' '), clean ? "clean" : "FAILED");
        return new PhaseReport(text.ToString().TrimEnd(), row, clean);
    }

    private static string Cluster(RequestOutcome outcome) => outcome.Cluster is null ? "" : $" via {outcome.Cluster}";

    /// <summary>" [GET 503: 12, POST 502: 1]", most frequent first; empty for none.</summary>
    private static string Kinds(IEnumerable<string> kinds)
    {
        var counted = kinds.GroupBy(k => k, StringComparer.Ordinal).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key}: {g.Count()}")).ToList();
        return counted.Count == 0 ? "" : $" [{string.Join(", ", counted)}]";
    }
}
