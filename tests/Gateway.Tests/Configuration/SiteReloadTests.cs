using System.Text.Json;
using Telemetry.Contracts;
using Telemetry.Gateway.Tests.Integration;
using Telemetry.Testing;

namespace Telemetry.Gateway.Tests.Configuration;

/// <summary>
/// The site file edited under the running gateway (in place, as an editor saves it), against the simulator
/// playing a plant with one device more than the gateway first knows of.
/// </summary>
public sealed class SiteReloadTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task Devices_added_removed_and_retimed_in_the_site_file_are_polled_so_from_the_next_cycle_without_a_restart()
    {
        var plant = GatewayRig.Mixed(tcpDevices: 5, busDevices: 0, interval: 1);
        await using var rig = await GatewayRig.StartAsync([.. plant.Take(4)], simulated: plant);
        await GoodReadingsOfAsync(rig, "tcp-001", "tcp-002", "tcp-003", "tcp-004");

        List<RigDevice> edited = [.. plant.Where(d => d.Id != "tcp-004").Select(d => d.Id == "tcp-002" ? d with { PollIntervalSeconds = 5 } : d)];
        rig.EditSiteFile(rig.SiteJsonFor(edited));

        var added = await Eventually.ValueAsync(
            () => Task.FromResult(Readings(rig, "tcp-005").FirstOrDefault(r => r.Quality == ReadingQuality.Good)),
            r => r is not null,
            "a good reading of the added device",
            Patience);

        using (var health = await rig.GatewayHealthAsync())
        {
            var gateway = health.RootElement.GetProperty("gateway");
            Assert.Equal(2, gateway.GetProperty("site_version").GetInt32());
            Assert.Equal(1, gateway.GetProperty("site_reloads").GetInt32());
            Assert.Equal(0, gateway.GetProperty("site_reloads_refused").GetInt32());
            var devices = gateway.GetProperty("devices");
            Assert.Equal(["tcp-001", "tcp-002", "tcp-003", "tcp-005"], devices.EnumerateObject().Select(d => d.Name));
            Assert.Equal(5, devices.GetProperty("tcp-002").GetProperty("poll_interval_s").GetDouble());
        }

        // The retimed device, read from then on every 5 s instead of every second. Read times are when each read
        // started; a read waiting for the link can start late but never early, so the median gap is the interval.
        var retimed = await Eventually.ValueAsync(
            () => Task.FromResult(ReadTimes(rig, "tcp-002").Where(ts => ts >= added!.Ts).ToList()),
            times => times.Count >= 5,
            "five reads of the retimed device after the reload",
            Patience);
        var gaps = retimed.Zip(retimed.Skip(1), (a, b) => (b - a).TotalSeconds).ToList();
        Assert.True(Figure.Median(gaps) >= 4.5, $"reads of tcp-002 after the reload {string.Join(", ", gaps.Select(g => g.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)))} s apart\n{rig.Logs()}");

        // Adding and removing are applied together between two polls of the link: once the new device has been
        // read, the removed one never is again.
        Assert.DoesNotContain(Readings(rig, "tcp-004"), r => r.Ts >= added!.Ts);

        // One process all along: the queue was opened once, and the pollers took site file version 2.
        var log = rig.Gateway.OutputOfAllRuns;
        Assert.Single(log.Split('\n'), l => l.Contains("Store-and-forward queue", StringComparison.Ordinal) && l.Contains("opened", StringComparison.Ordinal));
        Assert.Contains("(site file version 2): 4 devices on 1 links", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_site_file_is_refused_naming_each_error_while_the_previous_plant_keeps_being_polled()
    {
        var plant = GatewayRig.Mixed(tcpDevices: 3, busDevices: 0, interval: 1);
        await using var rig = await GatewayRig.StartAsync(plant);
        await GoodReadingsOfAsync(rig, "tcp-001", "tcp-002", "tcp-003");

        // Two errors at once: a model no profile describes, and a unit id taken twice on the link.
        List<RigDevice> broken = [.. plant, new RigDevice("tcp-009", "xx-none", "street_controller", false, 9, 1), new RigDevice("tcp-010", "hg-lcu2", "street_controller", false, 1, 1)];
        rig.EditSiteFile(rig.SiteJsonFor(broken));

        var refusal = await Eventually.ValueAsync(
            async () => (await RefusalAsync(rig)).Refused,
            refused => refused > 0,
            "the edit refused",
            Patience);
        var refusedAt = DateTimeOffset.UtcNow;
        var (version, refused, reason) = await RefusalAsync(rig);
        Assert.Equal(1, refusal);
        Assert.Equal((1, 1), (version, refused));
        Assert.Contains("$.gateways[0].devices[3].profile", reason, StringComparison.Ordinal);
        Assert.Contains("[UnknownProfile]", reason, StringComparison.Ordinal);
        Assert.Contains("[DuplicateUnitId]", reason, StringComparison.Ordinal);
        Assert.Contains("changed but is refused; polling goes on with the previous version", rig.Gateway.Output, StringComparison.Ordinal);

        // The previous plant goes on: every device read again after the refusal, and nothing of the refused file.
        await Eventually.TrueAsync(
            () => Task.FromResult(plant.All(d => Readings(rig, d.Id).Any(r => r.Quality == ReadingQuality.Good && r.Ts > refusedAt))),
            "every device of the previous plant read after the refusal",
            Patience);
        Assert.DoesNotContain(rig.Batches().SelectMany(b => b.Readings), r => r.Device is "tcp-009" or "tcp-010");

        // Broken JSON is refused the same way; a good file after that is taken, and the refusal is cleared.
        rig.EditSiteFile(rig.SiteJsonFor(plant)[..^10]);
        await Eventually.TrueAsync(async () => (await RefusalAsync(rig)).Refused == 2, "the truncated file refused", Patience);
        Assert.Equal(1, (await RefusalAsync(rig)).Version);

        rig.EditSiteFile(rig.SiteJsonFor([.. plant.Take(2)]));
        await Eventually.TrueAsync(async () => (await RefusalAsync(rig)).Version == 2, "the corrected file taken", Patience);
        Assert.Null((await RefusalAsync(rig)).Reason);
    }

    private static async Task GoodReadingsOfAsync(GatewayRig rig, params string[] devices) =>
        await Eventually.TrueAsync(
            () => Task.FromResult(devices.All(d => Readings(rig, d).Any(r => r.Quality == ReadingQuality.Good))),
            $"good readings of {string.Join(", ", devices)}",
            Patience);

    private static IEnumerable<Reading> Readings(GatewayRig rig, string device) =>
        rig.Batches().SelectMany(b => b.Readings).Where(r => r.Device == device);

    /// <summary>When each read of the device started: one time per poll, whatever number of circuits it reports.</summary>
    private static IEnumerable<DateTimeOffset> ReadTimes(GatewayRig rig, string device) =>
        Readings(rig, device).Select(r => r.Ts).Distinct().Order();

    private static async Task<(int Version, int Refused, string? Reason)> RefusalAsync(GatewayRig rig)
    {
        using var health = await rig.GatewayHealthAsync();
        var gateway = health.RootElement.GetProperty("gateway");
        return (
            gateway.GetProperty("site_version").GetInt32(),
            gateway.GetProperty("site_reloads_refused").GetInt32(),
            gateway.TryGetProperty("site_refusal", out var reason) ? reason.GetString() : null);
    }

    private static class Figure
    {
        public static double Median(IReadOnlyList<double> values)
        {
            var sorted = values.Order().ToArray();
            return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        }
    }
}
