using System.Text.Json;

namespace Proxy.ChaosDriver;

/// <summary>
/// Every acknowledged admin change of one set of gateways, one JSON line each, kept across phases: each phase checks
/// all of them, so a change lost to a later fault is found too.
/// </summary>
internal sealed class ChangeLedger(string file)
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);
    private readonly Lock _lock = new();

    public void Add(AcknowledgedChange change)
    {
        var line = JsonSerializer.Serialize(change, s_json) + "\n";
        lock (_lock)
        {
            File.AppendAllText(file, line);
        }
    }

    public IReadOnlyList<AcknowledgedChange> ReadAll() =>
        File.Exists(file)
            ? File.ReadAllLines(file).Where(l => l.Length > 0).Select(l => JsonSerializer.Deserialize<AcknowledgedChange>(l, s_json)!).OrderBy(c => c.AtMs).ToList()
            : [];
}
