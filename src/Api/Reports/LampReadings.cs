using System.Globalization;
using System.Text.Json;
using Telemetry.Api.Plant;
using Telemetry.Contracts;
using Telemetry.InfluxDb;
using Telemetry.InfluxDb.Querying;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Reports;

namespace Telemetry.Api.Reports;

/// <summary>
/// Reads the lighting units' lamp series of a period from InfluxDB as Ingest stored them: the site files' street
/// controllers (one unit per circuit) and high masts in a scope, fields <c>lamps_lit</c>, <c>lamps_installed</c> and
/// <c>commanded_on</c>, from one hold limit before the period (the reading that holds into it) to its end. One query
/// per device, every name quoted by <see cref="InfluxQl"/>.
/// </summary>
public sealed class LampReadings(InfluxClient? influx, string database, ApiPlant plant)
{
    public const string Lit = "lamps_lit";
    public const string Installed = "lamps_installed";
    public const string Commanded = "commanded_on";

    /// <summary>Whether a readings store is configured at all.</summary>
    public bool Available => influx is not null;

    /// <summary>The devices whose lamps the lighting rate counts, in the scope.</summary>
    public IEnumerable<PlantDevice> LightingDevices(ReportScope scope) =>
        from site in plant.Sites
        from gateway in site.Gateways
        from device in gateway.Devices
        where device.Family is DeviceFamily.StreetController or DeviceFamily.HighMast && scope.Includes(site.Id, device.Crew)
        select new PlantDevice(site, gateway, device);

    /// <summary>The series of every lighting unit in the scope; throws <see cref="InfluxException"/> when the store fails.</summary>
    public async Task<IReadOnlyList<LampSeries>> ReadAsync(ReportScope scope, ReportPeriod period, TimeSpan holdLimit, CancellationToken cancellationToken)
    {
        if (influx is null)
        {
            return [];
        }

        var units = new List<LampSeries>();
        foreach (var device in LightingDevices(scope))
        {
            var result = await influx.QueryAsync(Query(device, period.From - holdLimit, period.To), database, cancellationToken).ConfigureAwait(false);
            foreach (var series in result.Series)
            {
                // A truncated answer would count the missing readings as unmonitored time: refuse it instead.
                if (series.IsPartial)
                {
                    throw new InfluxException($"the lamp readings of {device.Site.Id}/{device.Device.Id} came back truncated (max-row-limit)", null, null, false, 1);
                }

                units.Add(ToSeries(device, series));
            }
        }

        return units;
    }

    /// <summary>The InfluxQL of one device's lamp readings in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public static string Query(PlantDevice device, DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(device);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"SELECT {InfluxQl.QuoteIdentifier(Lit)}, {InfluxQl.QuoteIdentifier(Installed)}, {InfluxQl.QuoteIdentifier(Commanded)} " +
            $"FROM {InfluxQl.QuoteIdentifier(device.Device.Family.ToContractName())} " +
            $"WHERE \"site\" = {InfluxQl.QuoteString(device.Site.Id)} AND \"gateway\" = {InfluxQl.QuoteString(device.Gateway.Id)} " +
            $"AND \"device\" = {InfluxQl.QuoteString(device.Device.Id)} " +
            $"AND time >= {from.ToUnixTimeMilliseconds()}ms AND time < {to.ToUnixTimeMilliseconds()}ms GROUP BY \"circuit\"");
    }

    private static LampSeries ToSeries(PlantDevice device, InfluxSeries series)
    {
        var circuit = series.Tags.GetValueOrDefault("circuit") is { Length: > 0 } c ? c : null;
        var lit = new List<StepReading<double>>();
        var installed = new List<StepReading<double>>();
        var commanded = new List<StepReading<bool>>();
        for (var row = 0; row < series.RowCount; row++)
        {
            var at = DateTimeOffset.FromUnixTimeMilliseconds(series.GetInt64(row, "time"));
            if (Number(series.GetValue(row, Lit)) is { } lamps)
            {
                lit.Add(new(at, lamps));
            }

            if (Number(series.GetValue(row, Installed)) is { } count)
            {
                installed.Add(new(at, count));
            }

            if (series.GetValue(row, Commanded).ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                commanded.Add(new(at, series.GetValue(row, Commanded).GetBoolean()));
            }
        }

        var asset = new AssetRef(device.Site.Id, device.Gateway.Id, device.Device.Id, circuit);
        return new LampSeries(asset, device.Device.Crew, lit, installed, commanded);
    }

    private static double? Number(JsonElement value) => value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;
}
