using Telemetry.Contracts;
using Telemetry.Forecasting.Batteries;
using Telemetry.Forecasting.History;
using Telemetry.InfluxDb;
using Telemetry.InfluxDb.LineProtocol;
using Telemetry.InfluxDb.Writing;

namespace Telemetry.Forecasting.Storage;

/// <summary>Writes a plant's observations to InfluxDB through the product's client, in batches.</summary>
public sealed class PlantHistoryWriter
{
    private readonly InfluxClient client;
    private readonly string site;
    private readonly string gateway;

    public PlantHistoryWriter(InfluxClient client, string site = "history", string gateway = "gw-history")
    {
        ArgumentNullException.ThrowIfNull(client);
        this.client = client;
        this.site = site;
        this.gateway = gateway;
    }

    /// <summary>Writes every reading and event of <paramref name="plant"/>; returns the number of points written.</summary>
    public async Task<long> WriteAsync(PlantObservations plant, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plant);
        using var builder = new PointBatchBuilder();
        var point = new Point("_");
        long written = 0;

        async Task AddAsync(Point p)
        {
            builder.Add(p);
            if (builder.IsFull)
            {
                written += await FlushAsync(builder, cancellationToken).ConfigureAwait(false);
            }
        }

        var battery = DeviceFamily.EmergencyBattery.ToContractName();
        foreach (var record in plant.Batteries)
        {
            foreach (var reading in record.TemperaturesC)
            {
                await AddAsync(Tagged(point.Reset(battery), record.Device).Field("battery_temperature_c", reading.Value).Timestamp(reading.Time)).ConfigureAwait(false);
            }

            foreach (var test in record.Tests)
            {
                var planned = test.Kind == BatteryTestKind.FullDuration ? record.RatedMinutes : 60;
                var passed = test.RuntimeMinutes >= planned - 0.01;
                Tagged(point.Reset(HistoryLayout.Events), record.Device)
                    .Tag("kind", HistoryLayout.BatteryTestFinished)
                    .Field("test", test.Kind == BatteryTestKind.FullDuration ? HistoryLayout.DurationTest : HistoryLayout.OneHourTest)
                    .Field("outcome", passed ? "passed" : "failed")
                    .Field("message", passed ? "planned duration reached" : "cut-off voltage reached")
                    .Field("runtime_s", Math.Round(test.RuntimeMinutes * 60))
                    .Field("rated_duration_min", record.RatedMinutes)
                    .Field("cutoff_voltage_v", record.CutoffVolts)
                    // The discharge curve as the gateway thins it, here to its two ends.
                    .Field("curve_000_s", 0.0)
                    .Field("curve_000_v", PlantPhysics.LoadedStartVolts)
                    .Field("curve_001_s", Math.Round(test.RuntimeMinutes * 60))
                    .Field("curve_001_v", test.EndVolts)
                    .Timestamp(test.Time);
                await AddAsync(point).ConfigureAwait(false);
            }
        }

        var box = DeviceFamily.DistributionBox.ToContractName();
        foreach (var record in plant.Insulation)
        {
            foreach (var reading in record.ReadingsMohm)
            {
                await AddAsync(Tagged(point.Reset(box), record.Device).Field("insulation_mohm", reading.Value).Timestamp(reading.Time)).ConfigureAwait(false);
            }
        }

        foreach (var group in plant.LampGroups)
        {
            var family = (group.Circuit is null ? DeviceFamily.HighMast : DeviceFamily.StreetController).ToContractName();
            var circuit = group.Circuit?.ToString(System.Globalization.CultureInfo.InvariantCulture);
            foreach (var reading in group.Lit)
            {
                await AddAsync(Tagged(point.Reset(family), group.Device).Tag("circuit", circuit)
                    .Field("lamps_installed", (long)group.Installed).Field("lamps_lit", (long)reading.Value).Timestamp(reading.Time)).ConfigureAwait(false);
            }

            foreach (var refit in group.Replaced)
            {
                await AddAsync(Tagged(point.Reset(HistoryLayout.Events), group.Device).Tag("circuit", circuit).Tag("kind", HistoryLayout.LampsReplaced)
                    .Field("lamps_replaced", (long)refit.Value).Timestamp(refit.Time)).ConfigureAwait(false);
            }
        }

        return written + await FlushAsync(builder, cancellationToken).ConfigureAwait(false);
    }

    private Point Tagged(Point point, string device) => point.Tag("site", site).Tag("gateway", gateway).Tag("device", device);

    private async Task<int> FlushAsync(PointBatchBuilder builder, CancellationToken cancellationToken)
    {
        if (builder.IsEmpty)
        {
            return 0;
        }

        using var batch = builder.TakeBatch();
        await client.WriteAsync(batch.Body, cancellationToken).ConfigureAwait(false);
        return batch.PointCount;
    }
}
