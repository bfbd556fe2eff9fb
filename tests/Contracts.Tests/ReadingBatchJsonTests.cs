using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Telemetry.Contracts.Tests;

public sealed class ReadingBatchJsonTests
{
    // The example of the contracts document, as a gateway sends it.
    private const string ContractExample = """
        {"v":1,"gateway":"gw-north-01","site":"north","seq":1842,"sent":"2026-11-22T19:00:05.120Z",
         "readings":[
          {"device":"mast-07","family":"high_mast","ts":"2026-11-22T19:00:04.981Z","quality":"good",
           "values":{"lamps_installed":12,"lamps_lit":7,"commanded_on":true,"voltage_v":229.4,"current_a":18.2}},
          {"device":"box-03","family":"distribution_box","ts":"2026-11-22T19:00:04.990Z","quality":"error",
           "error":"modbus timeout"}]}
        """;

    [Fact]
    public void Contract_example_reads_with_kinds_of_values_kept()
    {
        var batch = JsonSerializer.Deserialize(ContractExample, ContractsJson.Default.ReadingBatch)!;

        Assert.Equal(1842, batch.Seq);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 19, 0, 5, 120, TimeSpan.Zero), batch.Sent);
        var mast = batch.Readings[0];
        Assert.Equal(DeviceFamily.HighMast, mast.Family);
        Assert.Equal(ReadingQuality.Good, mast.Quality);
        Assert.Equal(ReadingValue.Integer(12), mast.Values!["lamps_installed"]);
        Assert.Equal(ReadingValue.Boolean(true), mast.Values["commanded_on"]);
        Assert.Equal(ReadingValue.Number(229.4), mast.Values["voltage_v"]);
        var box = batch.Readings[1];
        Assert.Equal(ReadingQuality.Error, box.Quality);
        Assert.Equal("modbus timeout", box.Error);
        Assert.Null(box.Values);
    }

    [Fact]
    public void Written_batch_uses_contract_names_and_utc_milliseconds()
    {
        var batch = new ReadingBatch
        {
            Gateway = "gw-1",
            Site = "north",
            Seq = 7,
            Sent = new DateTimeOffset(2026, 11, 22, 20, 0, 5, 120, TimeSpan.FromHours(1)),
            Readings = [new Reading { Device = "box-1", Family = DeviceFamily.DistributionBox, Ts = new DateTimeOffset(2026, 11, 22, 19, 0, 4, 981, TimeSpan.Zero), Values = new Dictionary<string, ReadingValue> { ["insulation_mohm"] = 12.0, ["door_open"] = false } }],
        };

        var json = JsonSerializer.Serialize(batch, ContractsJson.Default.ReadingBatch);

        Assert.Equal("""{"v":1,"gateway":"gw-1","site":"north","seq":7,"sent":"2026-11-22T19:00:05.120Z","readings":[{"device":"box-1","family":"distribution_box","ts":"2026-11-22T19:00:04.981Z","quality":"good","values":{"insulation_mohm":12.0,"door_open":false}}]}""", json);
    }

    [Theory]
    [InlineData("""{"v":1,"gateway":"g","site":"s","seq":1,"sent":"2026-11-22T19:00:05.120Z","readings":[{"device":"d","family":"toaster","ts":"2026-11-22T19:00:04.981Z"}]}""", "family")]
    [InlineData("""{"v":1,"gateway":"g","site":"s","seq":1,"sent":"2026-11-22T19:00:05.120Z","readings":[{"device":"d","family":"high_mast","ts":"yesterday"}]}""", "RFC 3339")]
    [InlineData("""{"v":1,"gateway":"g","site":"s","seq":1,"sent":"2026-11-22T19:00:05.120Z","readings":[{"device":"d","family":"high_mast","ts":"2026-11-22T19:00:04.981Z","values":{"x":"high"}}]}""", "number or a boolean")]
    [InlineData("""{"v":1,"gateway":"g","site":"s","seq":1,"sent":"2026-11-22T19:00:05.120Z","readings":[{"device":"d","family":"high_mast","ts":"2026-11-22T19:00:04.981Z","values":{"x":1e999}}]}""", "range")]
    [InlineData("""{"v":1,"site":"s","seq":1,"sent":"2026-11-22T19:00:05.120Z","readings":[]}""", "gateway")]
    [InlineData("""{"v":1,"gateway":"g","gateway":"h","site":"s","seq":1,"sent":"2026-11-22T19:00:05.120Z","readings":[]}""", "gateway")]
    [InlineData("""{"v":1,"gateway":null,"site":"s","seq":1,"sent":"2026-11-22T19:00:05.120Z","readings":[]}""", "gateway")]
    public void Malformed_batches_fail_with_an_error_naming_the_problem(string json, string expected)
    {
        var error = Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(json, ContractsJson.Default.ReadingBatch));

        Assert.Contains(expected, error.Message + error.Path, StringComparison.OrdinalIgnoreCase);
    }

    [Property]
    public void Any_finite_values_round_trip_with_their_kind(NormalFloat number, long count, bool state)
    {
        var values = new Dictionary<string, ReadingValue> { ["a_v"] = number.Get, ["b"] = count, ["c"] = state };
        var batch = new ReadingBatch
        {
            Gateway = "g",
            Site = "s",
            Seq = count,
            Sent = DateTimeOffset.UnixEpoch,
            Readings = [new Reading { Device = "d", Family = DeviceFamily.StreetController, Ts = DateTimeOffset.UnixEpoch, Values = values }],
        };

        var back = JsonSerializer.Deserialize(JsonSerializer.Serialize(batch, ContractsJson.Default.ReadingBatch), ContractsJson.Default.ReadingBatch)!;

        Assert.Equal(values, back.Readings[0].Values);
    }

    [Property]
    public Property Random_text_never_escapes_as_anything_but_a_json_error(string text) =>
        Prop.ToProperty(ParsesOrFailsCleanly(text ?? string.Empty));

    private static bool ParsesOrFailsCleanly(string text)
    {
        try
        {
            JsonSerializer.Deserialize(text, ContractsJson.Default.ReadingBatch);
        }
        catch (JsonException)
        {
        }

        return true;
    }
}
