using System.Text;
using FsCheck.Fluent;
using Telemetry.Fuzzing.Inputs;

namespace Telemetry.Fuzzing.Tests;

/// <summary>The registry and the generators: every path is reachable, its valid input is processed, and its inputs hold what they promise.</summary>
public sealed class FuzzTargetsTests
{
    public static TheoryData<string> Paths => [.. FuzzTargets.Names];

    [Theory]
    [MemberData(nameof(Paths))]
    public void Every_path_processes_its_valid_input_and_its_own_valid_documents(string name)
    {
        var target = FuzzTargets.Create(name);
        try
        {
            Assert.True(target.FeedValid(), $"{name} did not process its valid input");
            Assert.Equal(name, target.Name);
        }
        finally
        {
            (target as IDisposable)?.Dispose();
        }
    }

    [Fact]
    public void Path_names_are_unique()
    {
        var names = FuzzTargets.Names.ToList();
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Hostile_json_holds_hostile_leaves_truncations_random_bytes_and_valid_documents()
    {
        var template = ValidDocuments.ReadingBatchTemplate();
        var inputs = Enumerable.Range(0, 20_000).Select(seed => HostileJson.Make(new Random(seed), 100, [template])).ToList();
        var texts = inputs.Select(i => Encoding.UTF8.GetString(i)).ToList();

        Assert.Contains(inputs, i => i.AsSpan().SequenceEqual(template.Utf8));
        Assert.Contains(inputs, i => i.Length < template.Utf8.Length && template.Utf8.AsSpan().StartsWith(i));
        Assert.Contains(texts, t => t.Contains(":NaN", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains(":1e400", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("\\ud800", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("1970-01-01T00:00:00", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("2099-12-31T23:59:59", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains(new string('[', 200), StringComparison.Ordinal));
        Assert.Contains(inputs, i => i.Length > 100_000);
        Assert.Contains(texts, t => t.Contains("\"readings\":[null", StringComparison.Ordinal) || t.Contains(",null]", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Split("\"ts\":").Length > t.Split("\"device\":").Length);
    }

    [Fact]
    public void A_failing_input_prints_as_text_and_base64_and_shrinks_to_smaller_inputs()
    {
        var input = new FuzzInput([.. "{\"v\":NaN,\"x\":\"\u00e9\"}\n"u8, 0xFF]);

        var printed = input.ToString();
        var shrunk = FuzzInput.Shrink(input).ToList();

        Assert.Contains("{\"v\":NaN,\"x\":\"\\xC3\\xA9\"}\\n\\xFF", printed, StringComparison.Ordinal);
        Assert.Contains(Convert.ToBase64String(input.Bytes), printed, StringComparison.Ordinal);
        Assert.NotEmpty(shrunk);
        Assert.All(shrunk, s => Assert.True(s.Bytes.Length < input.Bytes.Length));
    }

    [Fact]
    public void Inputs_come_from_the_targets_generator_the_same_for_the_same_seed()
    {
        var target = FuzzTargets.Create("ingest-state");
        var first = Gen.Sample(target.Inputs, 50, new FsCheck.Rnd(7), 100);
        var second = Gen.Sample(target.Inputs, 50, new FsCheck.Rnd(7), 100);

        Assert.Equal(first, second);
    }
}
