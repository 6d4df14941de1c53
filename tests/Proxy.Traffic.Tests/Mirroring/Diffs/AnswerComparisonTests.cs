using System.Text;
using System.Text.Json;
using Proxy.Traffic.Mirroring.Diffs;

namespace Proxy.Traffic.Tests.Mirroring.Diffs;

public class AnswerComparisonTests
{
    private static List<FieldDifference> Compare(string first, string second, MirrorDiffRequest? settings = null)
    {
        var rules = new DiffRules(MirrorDiffRequest.ToSettings(settings));
        var differences = new AnswerDifferences();
        using var a = JsonDocument.Parse(first);
        using var b = JsonDocument.Parse(second);
        JsonAnswerComparer.Compare(a.RootElement, b.RootElement, rules, differences);
        return differences.Items;
    }

    [Fact]
    public void Key_order_and_number_spelling_are_no_difference()
    {
        Assert.Empty(Compare("""{"a":1,"b":{"c":[1,2],"d":2.50}}""", """{"b":{"d":2.5,"c":[1.0,2]},"a":1e0}"""));
    }

    [Fact]
    public void A_changed_nested_value_is_reported_by_field_and_exact_place()
    {
        var difference = Assert.Single(Compare("""{"items":[{"price":1},{"price":2}]}""", """{"items":[{"price":1},{"price":3}]}"""));

        Assert.Equal(new FieldDifference("$.items[*].price", "$.items[1].price", "changed", "2", "3"), difference);
    }

    [Fact]
    public void Missing_added_and_type_changes_are_told_apart()
    {
        var differences = Compare("""{"a":1,"b":"x","c":[1,2]}""", """{"b":2,"c":[1],"z":true}""");

        Assert.Equal(
            [("$.a", "missing"), ("$.b", "type"), ("$.c[*]", "missing"), ("$.z", "added")],
            differences.Select(d => (d.Field, d.Kind)).Order());
    }

    [Fact]
    public void Arrays_configured_as_sets_ignore_order_but_not_content()
    {
        var sets = new MirrorDiffRequest(Sets: ["$.tags"]);

        Assert.Empty(Compare("""{"tags":["a","b",{"k":1,"j":2}]}""", """{"tags":[{"j":2,"k":1},"b","a"]}""", sets));
        var difference = Assert.Single(Compare("""{"tags":["a","b"]}""", """{"tags":["b","c"]}""", sets), d => d.Kind == "added");
        Assert.Equal(("$.tags[*]", "\"c\""), (difference.Field, difference.Second));
        Assert.Equal(2, Compare("""{"tags":["a","b"]}""", """{"tags":["b","a"]}""").Count);
    }

    [Fact]
    public void Ignored_fields_and_everything_below_them_are_not_compared()
    {
        var ignore = new MirrorDiffRequest(Ignore: ["$.timestamp", "$.items[*].id", "$.meta"]);

        Assert.Empty(Compare(
            """{"timestamp":1,"items":[{"id":1,"n":"a"}],"meta":{"x":1}}""",
            """{"timestamp":2,"items":[{"id":9,"n":"a"}],"meta":{"x":2,"y":3}}""",
            ignore));
    }

    [Fact]
    public void Sensitive_values_are_masked_in_examples_by_default_and_as_configured()
    {
        var defaults = Compare("""{"user":{"password":"a","name":"x"}}""", """{"user":{"password":"b","name":"y"}}""");
        var configured = Compare("""{"card":{"number":"4111"}}""", """{"card":{"number":"4222"}}""", new MirrorDiffRequest(Redact: ["$.card"]));

        Assert.Equal([("\"x\"", "\"y\""), ("***", "***")], defaults.OrderBy(d => d.Field, StringComparer.Ordinal).Select(d => (d.First, d.Second)));
        Assert.Equal(("***", "***"), (configured.Single().First, configured.Single().Second));
    }

    [Fact]
    public void Text_bodies_compare_by_length_and_hash_and_compressed_ones_after_decompression()
    {
        var rules = new DiffRules(MirrorDiffSettings.Default);
        var memory = new DiffMemory(1 << 20);
        CapturedAnswer Answer(byte[] body, string? encoding)
        {
            var buffer = new AnswerBuffer(memory, 1 << 16);
            buffer.Append(body);
            return new CapturedAnswer(200, ["text/plain"], "text/plain", encoding, buffer);
        }

        var plain = Encoding.UTF8.GetBytes("hello");
        var gzipped = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(gzipped, System.IO.Compression.CompressionLevel.Fastest))
        {
            gzip.Write(plain);
        }

        var same = new AnswerDifferences();
        var changed = new AnswerDifferences();
        Assert.Null(AnswerComparer.Compare(Answer(plain, null), Answer(gzipped.ToArray(), "gzip"), rules, same));
        Assert.Null(AnswerComparer.Compare(Answer(plain, null), Answer("hellO"u8.ToArray(), null), rules, changed));

        Assert.Empty(same.Items);
        var difference = Assert.Single(changed.Items);
        Assert.Equal(DiffPath.Body, difference.Field);
        Assert.StartsWith("5 B, sha256 ", difference.First, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "/orders/123/items", "GET /orders/{id}/items")]
    [InlineData("GET", "/users/3f2504e0-4f89-11d3-9a0c-0305e82c3301", "GET /users/{id}")]
    [InlineData("PUT", "/carts/ab12cd34ef/v2", "PUT /carts/{id}/v2")]
    [InlineData("GET", "/", "GET /")]
    public void Ids_in_paths_make_one_endpoint(string method, string path, string endpoint) =>
        Assert.Equal(endpoint, EndpointTemplate.Of(method, path));
}
