using System.Globalization;
using Telemetry.Contracts;
using Telemetry.Forecasting.Batteries;
using Telemetry.Forecasting.History;
using Telemetry.Forecasting.Insulation;
using Telemetry.Forecasting.Lamps;
using Telemetry.Forecasting.Numerics;
using Telemetry.InfluxDb;
using Telemetry.InfluxDb.Querying;

namespace Telemetry.Forecasting.Storage;

/// <summary>
/// Reads what the forecasters need back from InfluxDB with InfluxQL, a year at a time (a response stays small
/// whatever the plant's size): battery temperatures and test events, insulation as a mean a day (UTC days, each at
/// its start), lamps lit and relamping.
/// </summary>
public sealed class PlantHistoryReader
{
    private static readonly TimeSpan Slice = TimeSpan.FromDays(366);
    private readonly InfluxClient client;

    public PlantHistoryReader(InfluxClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        this.client = client;
    }

    /// <summary>
    /// The plant's observations from <paramref name="from"/> to <paramref name="to"/>, of one site's devices when
    /// <paramref name="site"/> is given; battery installation dates come from the asset register.
    /// </summary>
    public async Task<PlantObservations> ReadAsync(
        IReadOnlyDictionary<string, DateTimeOffset> batteriesInstalled, DateTimeOffset from, DateTimeOffset to, double latitude, CancellationToken cancellationToken = default, string? site = null)
    {
        ArgumentNullException.ThrowIfNull(batteriesInstalled);
        var temperatures = await RowsAsync($"SELECT battery_temperature_c FROM {DeviceFamily.EmergencyBattery.ToContractName()}", "device", site, from, to, cancellationToken).ConfigureAwait(false);
        var tests = await RowsAsync($"SELECT * FROM {HistoryLayout.Events} WHERE kind = {InfluxQl.QuoteString(HistoryLayout.BatteryTestFinished)}", "device", site, from, to, cancellationToken).ConfigureAwait(false);
        // Insulation as a mean a day, whatever a box's polling interval: the forecaster's weather moves from day to day,
        // and years of raw readings would be most of the answer. A reading at zero or at the megger's ceiling measures
        // nothing; from the first whole day, so that no day is split between two slices into two means.
        var insulation = await RowsAsync(
            string.Create(CultureInfo.InvariantCulture, $"SELECT mean(insulation_mohm) AS insulation_mohm FROM {DeviceFamily.DistributionBox.ToContractName()} WHERE insulation_mohm > 0 AND insulation_mohm < {InsulationTimeToLimitForecaster.CeilingMohm}"),
            "time(1d), device fill(none)", site, WholeDayFrom(from), to, cancellationToken).ConfigureAwait(false);
        var circuits = await RowsAsync($"SELECT lamps_installed, lamps_lit FROM {DeviceFamily.StreetController.ToContractName()}", "device, circuit", site, from, to, cancellationToken).ConfigureAwait(false);
        var masts = await RowsAsync($"SELECT lamps_installed, lamps_lit FROM {DeviceFamily.HighMast.ToContractName()}", "device", site, from, to, cancellationToken).ConfigureAwait(false);
        var refits = await RowsAsync($"SELECT lamps_replaced, circuit FROM {HistoryLayout.Events} WHERE kind = {InfluxQl.QuoteString(HistoryLayout.LampsReplaced)}", "device, circuit", site, from, to, cancellationToken).ConfigureAwait(false);

        var batteries = batteriesInstalled.OrderBy(b => b.Key, StringComparer.Ordinal).Select(b => Battery(b.Key, b.Value, tests.GetValueOrDefault(b.Key), temperatures.GetValueOrDefault(b.Key))).ToList();
        var boxes = insulation.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => new InsulationRecord(s.Key, [.. s.Value.Select(r => new Observation(r.Time, r.Number("insulation_mohm")))])).ToList();
        var groups = circuits.Concat(masts).OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => Group(s.Key, s.Value, refits.GetValueOrDefault(s.Key))).ToList();
        return new PlantObservations(from, to, latitude, batteries, boxes, groups);
    }

    /// <summary>The start of the first whole UTC day from <paramref name="from"/>.</summary>
    private static DateTimeOffset WholeDayFrom(DateTimeOffset from)
    {
        var day = new DateTimeOffset(from.UtcDateTime.Date, TimeSpan.Zero);
        return day == from ? day : day.AddDays(1);
    }

    private static BatteryRecord Battery(string device, DateTimeOffset installed, List<Row>? events, List<Row>? temperatures)
    {
        events ??= [];
        var rated = events.Select(e => e.NumberOrNull("rated_duration_min")).FirstOrDefault(v => v is not null) ?? 90;
        var cutoff = events.Select(e => e.NumberOrNull("cutoff_voltage_v")).FirstOrDefault(v => v is not null) ?? 21;
        var tests = new List<BatteryTest>();
        foreach (var e in events)
        {
            var kind = e.Text("test") switch
            {
                HistoryLayout.DurationTest => BatteryTestKind.FullDuration,
                HistoryLayout.OneHourTest => BatteryTestKind.OneHour,
                _ => (BatteryTestKind?)null,
            };
            // The voltage when the test ended is the last point of its discharge curve.
            var endVolts = e.Columns.Where(c => c.StartsWith("curve_", StringComparison.Ordinal) && c.EndsWith("_v", StringComparison.Ordinal))
                .OrderByDescending(c => c, StringComparer.Ordinal).Select(e.NumberOrNull).FirstOrDefault(v => v is not null);
            if (kind is { } k && e.NumberOrNull("runtime_s") is { } seconds && endVolts is { } volts)
            {
                tests.Add(new BatteryTest(e.Time, k, seconds / 60, volts));
            }
        }

        return new BatteryRecord(device, installed, rated, cutoff, tests, [.. (temperatures ?? []).Select(r => new Observation(r.Time, r.Number("battery_temperature_c")))]);
    }

    private static LampGroupRecord Group(string key, List<Row> rows, List<Row>? refits)
    {
        var parts = key.Split('/');
        int? circuit = parts.Length > 1 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : null;
        var installed = rows.Count > 0 ? (int)rows[^1].Number("lamps_installed") : 0;
        return new LampGroupRecord(parts[0], circuit, installed,
            [.. rows.Select(r => new Observation(r.Time, r.Number("lamps_lit")))],
            [.. (refits ?? []).Select(r => new Observation(r.Time, r.Number("lamps_replaced")))]);
    }

    /// <summary>Rows of a query by series key ("device" or "device/circuit"), in time order, read a slice of time at a time.</summary>
    private async Task<Dictionary<string, List<Row>>> RowsAsync(string select, string groupBy, string? site, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var rows = new Dictionary<string, List<Row>>(StringComparer.Ordinal);
        for (var start = from; start < to; start += Slice)
        {
            var end = start + Slice < to ? start + Slice : to;
            var where = select.Contains(" WHERE ", StringComparison.Ordinal) ? " AND " : " WHERE ";
            var ofSite = site is null ? "" : $"site = {InfluxQl.QuoteString(site)} AND ";
            var query = string.Create(CultureInfo.InvariantCulture,
                $"{select}{where}{ofSite}time >= {start.ToUnixTimeMilliseconds()}ms AND time < {end.ToUnixTimeMilliseconds()}ms GROUP BY {groupBy}");
            var result = await client.QueryAsync(query, null, cancellationToken).ConfigureAwait(false);
            foreach (var series in result.Series)
            {
                if (series.IsPartial)
                {
                    throw new InvalidOperationException($"InfluxDB truncated the answer to \"{query}\" (max-row-limit); read shorter slices");
                }

                var key = series.Tags.TryGetValue("circuit", out var circuit) && circuit.Length > 0 ? $"{series.Tags["device"]}/{circuit}" : series.Tags["device"];
                if (!rows.TryGetValue(key, out var list))
                {
                    rows[key] = list = [];
                }

                for (var row = 0; row < series.RowCount; row++)
                {
                    list.Add(new Row(series, row));
                }
            }
        }

        return rows;
    }

    private readonly record struct Row(InfluxSeries Series, int Index)
    {
        public DateTimeOffset Time => Series.GetTimestamp(Index);

        public IEnumerable<string> Columns => Series.Columns;

        public double Number(string column) => Series.GetDouble(Index, column);

        public double? NumberOrNull(string column) =>
            Series.Columns.Contains(column) && !Series.IsNull(Index, column) ? Series.GetDouble(Index, column) : null;

        public string? Text(string column) =>
            Series.Columns.Contains(column) && !Series.IsNull(Index, column) ? Series.GetString(Index, column) : null;
    }
}
