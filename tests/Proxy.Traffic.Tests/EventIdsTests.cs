using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Proxy.Traffic.Tests;

public class EventIdsTests
{
    private static readonly Dictionary<int, string> Listed = typeof(EventIds)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(field => field.IsLiteral)
        .GroupBy(field => (int)field.GetRawConstantValue()!)
        .ToDictionary(group => group.Key, group => string.Join(", ", group.Select(field => field.Name)));

    private static readonly (string Method, int Id)[] Logged = typeof(EventIds).Assembly.GetTypes()
        .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
        .Select(method => (Method: method, Attribute: method.GetCustomAttribute<LoggerMessageAttribute>()))
        .Where(pair => pair.Attribute is not null)
        .Select(pair => ($"{pair.Method.DeclaringType!.FullName}.{pair.Method.Name}", pair.Attribute!.EventId))
        .ToArray();

    [Fact]
    public void No_two_listed_event_ids_share_a_number()
    {
        var shared = Listed.Where(entry => entry.Value.Contains(',')).Select(entry => $"{entry.Key}: {entry.Value}");
        Assert.Empty(shared);
    }

    [Fact]
    public void No_two_log_messages_share_an_event_id()
    {
        Assert.True(Logged.Length > 40, $"only {Logged.Length} LoggerMessage methods found: is the attribute still read by reflection?");
        var shared = Logged.GroupBy(logged => logged.Id).Where(group => group.Count() > 1)
            .Select(group => $"{group.Key}: {string.Join(", ", group.Select(logged => logged.Method))}");
        Assert.Empty(shared);
    }

    [Fact]
    public void Every_log_message_takes_its_event_id_from_EventIds()
    {
        var unlisted = Logged.Where(logged => !Listed.ContainsKey(logged.Id)).Select(logged => $"{logged.Method}: {logged.Id}");
        Assert.Empty(unlisted);
    }

    [Fact]
    public void Every_listed_event_id_is_logged()
    {
        var used = Logged.Select(logged => logged.Id).ToHashSet();
        var unused = Listed.Where(entry => !used.Contains(entry.Key)).Select(entry => $"{entry.Key}: {entry.Value}");
        Assert.Empty(unused);
    }
}
