using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Telemetry.Maintenance.Daylight;
using Telemetry.Maintenance.Storage;
using Telemetry.Maintenance.Thresholds;
using Telemetry.Rules.Catalogue;
using Telemetry.Testing;

namespace Telemetry.Rules.Tests.Integration;

/// <summary>
/// Faults whose grade or very existence depends on the sun. Each test puts its site at a longitude where it is
/// now day (or night), so the outcome does not depend on when the suite runs.
/// </summary>
public sealed class DayAndNightTests
{
    private static readonly TimeSpan Pipeline = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task By_day_a_welded_contactor_is_day_burning_and_a_lost_gateway_is_grade2()
    {
        await using var rig = await StartAsync(day: true);
        await rig.InjectFaultAsync("sc-01", new { fault = "contactor_welded", circuit = 1 });

        var burning = await TicketsOfAsync(rig, "day_burning");
        Assert.Equal(3, burning.Single().Grade());
        Assert.StartsWith("rig/gw-rig/sc-01", burning.Single().GetProperty("asset").GetString(), StringComparison.Ordinal);

        rig.Gateway.Kill();
        var offline = await TicketsOfAsync(rig, "gateway_offline");
        Assert.Equal(2, offline.Single().Grade());
        Assert.Equal("rig/gw-rig", offline.Single().GetProperty("asset").GetString());
    }

    [Fact]
    public async Task By_night_lit_lamps_are_not_day_burning_and_a_lost_gateway_is_grade1()
    {
        await using var rig = await StartAsync(day: false);
        await rig.InjectFaultAsync("sc-01", new { fault = "contactor_welded", circuit = 1 });

        // Longer than day burning needs (6 s) by day.
        await Task.Delay(TimeSpan.FromSeconds(15));
        rig.Gateway.Kill();
        var offline = await TicketsOfAsync(rig, "gateway_offline");
        Assert.Equal(1, offline.Single().Grade());

        Assert.Empty(await rig.TicketsAsync("fault=day_burning"));
    }

    private static Task<IReadOnlyList<JsonElement>> TicketsOfAsync(PlantRig rig, string fault) =>
        Eventually.ValueAsync(() => rig.TicketsAsync($"fault={fault}"), t => t.Count > 0, $"a {fault} ticket\n{rig.Logs()}", Pipeline);

    private static async Task<PlantRig> StartAsync(bool day)
    {
        var now = DateTimeOffset.UtcNow;
        var longitude = PlantRig.LongitudeWhereItIs(day, now);
        Assert.Equal(day, SolarCalendar.IsDaylight(now, 0, longitude, TimeSpan.Zero));
        var rig = await PlantRig.StartAsync(new PlantRigOptions
        {
            Devices = [new PlantDevice("sc-01", "mg-slc4", "street_controller", false, 1, 1, Crew: "crew-north")],
            Latitude = 0,
            Longitude = longitude,
            TimeZone = "UTC",
            WithRules = true,
        });
        try
        {
            // Quicker than the shipped defaults, through the same store engineers use; Rules applies them live.
            var store = new SqliteThresholdStore(new SqliteDatabase(rig.DatabasePath), Telemetry.Rules.Evaluation.RuleSet.Default.Thresholds, TimeProvider.System, NullLogger<SqliteThresholdStore>.Instance);
            await store.ApplyAsync(ThresholdChange.Set(DayBurningRule.DebounceMin, ThresholdScope.Global, 0.1, "test", "day burning within seconds"), CancellationToken.None);
            await store.ApplyAsync(ThresholdChange.Set(GatewayOfflineRule.GraceS, ThresholdScope.Global, 1, "test", "offline within a second"), CancellationToken.None);
            await Task.Delay(TimeSpan.FromSeconds(4));
            return rig;
        }
        catch
        {
            await rig.DisposeAsync();
            throw;
        }
    }
}
