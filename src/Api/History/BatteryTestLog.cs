using System.Globalization;
using System.Text.Json;
using Telemetry.Api.Plant;
using Telemetry.Contracts;
using Telemetry.InfluxDb;
using Telemetry.InfluxDb.Querying;

namespace Telemetry.Api.History;

/// <summary>A battery test as the gateway reported its end: when, which test (<c>function</c>, <c>duration</c>), the outcome (<c>passed</c>, <c>failed</c>, ...), runtime and why it ended.</summary>
public sealed record FinishedBatteryTest(DateTimeOffset FinishedAt, string Test, string Outcome, double? RuntimeSeconds, string? Message)
{
    public const string PassedOutcome = "passed";

    public bool Passed => Outcome == PassedOutcome;
}

/// <summary>
/// The <see cref="EventKinds.BatteryTestFinished"/> events of emergency units as Ingest stored them in InfluxDB
/// (measurement <c>events</c>, tags site, gateway, device, kind; fields test, outcome, runtime_s, message).
/// </summary>
public sealed class BatteryTestLog(InfluxClient? influx, string database)
{
    /// <summary>The most tests read per unit and range; more than a unit runs in many years.</summary>
    public const int MaxTests = 2000;

    /// <summary>Whether a readings store is configured at all.</summary>
    public bool Available => influx is not null;

    /// <summary>The unit's finished tests in [<paramref name="from"/>, <paramref name="to"/>), newest first; throws <see cref="InfluxException"/> when the store fails.</summary>
    public async Task<IReadOnlyList<FinishedBatteryTest>> ReadAsync(PlantDevice device, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (influx is null)
        {
            return [];
        }

        var result = await influx.QueryAsync(Query(device, from, to), database, cancellationToken).ConfigureAwait(false);
        var tests = new List<FinishedBatteryTest>();
        foreach (var series in result.Series)
        {
            for (var row = 0; row < series.RowCount; row++)
            {
                tests.Add(new FinishedBatteryTest(
                    DateTimeOffset.FromUnixTimeMilliseconds(series.GetInt64(row, "time")),
                    Text(series.GetValue(row, "test")) ?? "",
                    Text(series.GetValue(row, "outcome")) ?? "",
                    series.GetValue(row, "runtime_s") is { ValueKind: JsonValueKind.Number } runtime ? runtime.GetDouble() : null,
                    Text(series.GetValue(row, "message")) is { Length: > 0 } message ? message : null));
            }
        }

        return [.. tests.OrderByDescending(t => t.FinishedAt)];
    }

    /// <summary>The InfluxQL of one unit's finished tests in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public static string Query(PlantDevice device, DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(device);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"SELECT \"test\", \"outcome\", \"runtime_s\", \"message\" FROM \"events\" " +
            $"WHERE \"site\" = {InfluxQl.QuoteString(device.Site.Id)} AND \"gateway\" = {InfluxQl.QuoteString(device.Gateway.Id)} " +
            $"AND \"device\" = {InfluxQl.QuoteString(device.Device.Id)} AND \"kind\" = {InfluxQl.QuoteString(EventKinds.BatteryTestFinished)} " +
            $"AND time >= {from.ToUnixTimeMilliseconds()}ms AND time < {to.ToUnixTimeMilliseconds()}ms ORDER BY time DESC LIMIT {MaxTests}");
    }

    private static string? Text(JsonElement cell) => cell.ValueKind switch
    {
        JsonValueKind.String => cell.GetString(),
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => cell.GetRawText(),
    };
}
