using System.Runtime.CompilerServices;
using System.Text.Json;
using Telemetry.Contracts;
using Telemetry.InfluxDb;
using Telemetry.InfluxDb.Querying;

namespace Telemetry.Rules.Replay;

/// <summary>
/// A site's readings, gateway states and gateway events as Ingest stored them in InfluxDB (contracts: measurement =
/// family, tags site/gateway/device[/circuit], fields = values; states and events on <c>events</c>), read back in time
/// order as <see cref="ReplayInput"/>s for <see cref="RuleReplay"/>. Readings of one gateway stamped alike make one batch.
/// The range is read a window at a time, so a month is never held in memory at once. Reads only.
/// </summary>
public sealed class StoredHistory
{
    private static readonly (string Measurement, DeviceFamily Family)[] Families =
        [.. Enum.GetValues<DeviceFamily>().Select(f => (f.ToContractName(), f))];

    // Fields Ingest writes beside the values; the rest of a point's fields are its values.
    private static readonly HashSet<string> ReadingColumns = new(StringComparer.Ordinal) { "time", "site", "gateway", "device", "circuit", "quality", "error" };
    private static readonly HashSet<string> EventColumns = new(StringComparer.Ordinal) { "time", "site", "gateway", "device", "kind", "message", "state", "version" };

    private readonly InfluxClient client;
    private readonly string database;
    private readonly TimeSpan window;

    /// <param name="client">The database's client.</param>
    /// <param name="database">The database Ingest writes (<c>telemetry</c>).</param>
    /// <param name="window">How much time one query reads; 1 h when null.</param>
    public StoredHistory(InfluxClient client, string database, TimeSpan? window = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(database);
        this.client = client;
        this.database = database;
        this.window = window ?? TimeSpan.FromHours(1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(this.window, TimeSpan.Zero, nameof(window));
    }

    /// <summary>What <paramref name="site"/>'s gateways sent from <paramref name="from"/> (inclusive) to <paramref name="to"/> (exclusive), oldest first.</summary>
    /// <exception cref="ArgumentException">The site is no identifier.</exception>
    /// <exception cref="InfluxQueryException">The database refused a query or could not be reached.</exception>
    public async IAsyncEnumerable<ReplayInput> ReadAsync(string site, DateTimeOffset from, DateTimeOffset to, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (!Identifiers.IsValid(site))
        {
            throw new ArgumentException($"'{site}' is not a site identifier", nameof(site));
        }

        for (var start = from; start < to; start += window)
        {
            var end = start + window < to ? start + window : to;
            var inputs = new List<ReplayInput>();
            await ReadReadingsAsync(site, start, end, inputs, cancellationToken).ConfigureAwait(false);
            await ReadEventsAsync(site, start, end, inputs, cancellationToken).ConfigureAwait(false);

            // A stable sort: at one instant a gateway's state comes before its readings, as it was published first.
            foreach (var input in inputs.OrderBy(i => i.At).ThenBy(i => i is ReplayedReadings ? 1 : 0))
            {
                yield return input;
            }
        }
    }

    private async Task ReadReadingsAsync(string site, DateTimeOffset from, DateTimeOffset to, List<ReplayInput> inputs, CancellationToken cancellationToken)
    {
        var measurements = string.Join(",", Families.Select(f => InfluxQl.QuoteIdentifier(f.Measurement)));
        var result = await client.QueryAsync($"SELECT * FROM {measurements} WHERE {Range(site, from, to)}", database, cancellationToken).ConfigureAwait(false);
        var batches = new Dictionary<(string Gateway, long Ms), List<Reading>>();
        foreach (var series in result.Series)
        {
            var family = Families.FirstOrDefault(f => f.Measurement == series.Name).Family;
            for (var row = 0; row < series.RowCount; row++)
            {
                if (Text(series, row, "gateway") is not { } gateway || Text(series, row, "device") is not { } device)
                {
                    continue;
                }

                var ms = series.GetInt64(row, "time");
                var quality = Text(series, row, "quality") switch
                {
                    "error" => ReadingQuality.Error,
                    "stale" => ReadingQuality.Stale,
                    _ => ReadingQuality.Good,
                };
                var reading = new Reading
                {
                    Device = device,
                    Family = family,
                    Circuit = Text(series, row, "circuit"),
                    Ts = DateTimeOffset.FromUnixTimeMilliseconds(ms),
                    Quality = quality,
                    Error = quality == ReadingQuality.Error ? Text(series, row, "error") : null,
                    Values = quality == ReadingQuality.Error ? null : Values(series, row, ReadingColumns),
                };
                if (!batches.TryGetValue((gateway, ms), out var readings))
                {
                    batches[(gateway, ms)] = readings = [];
                }

                readings.Add(reading);
            }
        }

        foreach (var ((gateway, ms), readings) in batches)
        {
            var at = DateTimeOffset.FromUnixTimeMilliseconds(ms);
            inputs.Add(new ReplayedReadings(site, gateway, new ReadingBatch { Site = site, Gateway = gateway, Seq = 0, Sent = at, Readings = readings }));
        }
    }

    private async Task ReadEventsAsync(string site, DateTimeOffset from, DateTimeOffset to, List<ReplayInput> inputs, CancellationToken cancellationToken)
    {
        var result = await client.QueryAsync($"SELECT * FROM \"events\" WHERE {Range(site, from, to)}", database, cancellationToken).ConfigureAwait(false);
        foreach (var series in result.Series)
        {
            for (var row = 0; row < series.RowCount; row++)
            {
                if (Text(series, row, "gateway") is not { } gateway || Text(series, row, "kind") is not { } kind)
                {
                    continue;
                }

                var at = DateTimeOffset.FromUnixTimeMilliseconds(series.GetInt64(row, "time"));
                if (kind == "gateway_state")
                {
                    var status = Text(series, row, "state") == "online" ? GatewayStatus.Online : GatewayStatus.Offline;
                    inputs.Add(new ReplayedState(site, gateway, at, new GatewayState { State = status, Ts = at, Version = Text(series, row, "version") }));
                    continue;
                }

                // Ticket events (ticket_opened...) are the service's own record, not something a gateway sent.
                if (kind.StartsWith("ticket_", StringComparison.Ordinal))
                {
                    continue;
                }

                var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
                var values = new Dictionary<string, ReadingValue>(StringComparer.Ordinal);
                for (var column = 0; column < series.Columns.Count; column++)
                {
                    var name = series.Columns[column];
                    var cell = series.GetValue(row, column);
                    if (EventColumns.Contains(name) || cell.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
                    {
                        continue;
                    }

                    if (cell.ValueKind == JsonValueKind.String)
                    {
                        attributes[name] = cell.GetString()!;
                    }
                    else if (Value(cell) is { } value)
                    {
                        values[name] = value;
                    }
                }

                inputs.Add(new ReplayedEvent(site, gateway, new GatewayEvent
                {
                    Kind = kind,
                    Device = Text(series, row, "device"),
                    Ts = at,
                    Message = Text(series, row, "message") is { Length: > 0 } message ? message : null,
                    Attributes = attributes,
                    Values = values,
                }));
            }
        }
    }

    private static string Range(string site, DateTimeOffset from, DateTimeOffset to) =>
        $"\"site\" = {InfluxQl.QuoteString(site)} AND time >= {from.ToUnixTimeMilliseconds()}ms AND time < {to.ToUnixTimeMilliseconds()}ms";

    private static string? Text(InfluxSeries series, int row, string column)
    {
        var index = IndexOf(series, column);
        return index < 0 || series.IsNull(row, index) || series.GetValue(row, index).ValueKind != JsonValueKind.String ? null : series.GetString(row, index);
    }

    private static int IndexOf(InfluxSeries series, string column)
    {
        for (var i = 0; i < series.Columns.Count; i++)
        {
            if (series.Columns[i] == column)
            {
                return i;
            }
        }

        return -1;
    }

    private static Dictionary<string, ReadingValue>? Values(InfluxSeries series, int row, HashSet<string> skip)
    {
        Dictionary<string, ReadingValue>? values = null;
        for (var column = 0; column < series.Columns.Count; column++)
        {
            var name = series.Columns[column];
            if (!skip.Contains(name) && Value(series.GetValue(row, column)) is { } value)
            {
                (values ??= new Dictionary<string, ReadingValue>(StringComparer.Ordinal))[name] = value;
            }
        }

        return values;
    }

    private static ReadingValue? Value(JsonElement cell) => cell.ValueKind switch
    {
        JsonValueKind.True => ReadingValue.Boolean(true),
        JsonValueKind.False => ReadingValue.Boolean(false),
        JsonValueKind.Number when cell.TryGetInt64(out var integer) => ReadingValue.Integer(integer),
        JsonValueKind.Number => ReadingValue.Number(cell.GetDouble()),
        _ => null,
    };
}
