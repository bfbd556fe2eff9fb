using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Telemetry.Maintenance.Daylight;
using Telemetry.Maintenance.Storage;
using Telemetry.Maintenance.Thresholds;
using Telemetry.Rules.Catalogue;
using Telemetry.Rules.Evaluation;
using Telemetry.Testing;

namespace Telemetry.Rules.Tests.Integration;

/// <summary>
/// What the plant signals of itself (a mast's lift and lamp ring, a box's breakers, surge protector and phases, an
/// emergency unit's charger and mains) becomes a graded ticket through the whole pipeline when the simulator makes the
/// fault, and the fault going is recorded on the ticket.
/// </summary>
public sealed class PlantSignalTicketTests(RulesFixture fixture) : IClassFixture<RulesFixture>
{
    private const string Mast = "rig/gw-rig/mast-01";
    private const string Box = "rig/gw-rig/box-01";
    private const string Unit = "rig/gw-rig/eps-01";
    private static readonly TimeSpan Pipeline = TimeSpan.FromSeconds(45);

    private PlantRig Rig => fixture.Rig;

    [Fact]
    public async Task A_latched_lift_fault_opens_a_grade2_ticket_naming_its_code_and_clears_when_released()
    {
        await Rig.InjectFaultAsync("mast-01", new { fault = "lift_fault", code = 3 });
        var ticket = await OneTicketAsync(Mast, "lift_fault");
        Assert.Equal(2, ticket.Grade());
        Assert.Contains("code 3 (rope slack)", ticket.Summary(), StringComparison.Ordinal);

        await Rig.ClearFaultAsync("mast-01", "lift_fault");
        await ClearsAsync(Mast, "lift_fault", "lift fault released");
    }

    [Fact]
    public async Task A_tripped_outgoing_breaker_is_grade2_on_its_circuit_and_the_main_breaker_is_graded_by_night_on_the_box()
    {
        await Rig.InjectFaultAsync("box-01", new { fault = "breaker_trip", breaker = 3 });
        var outgoing = await OneTicketAsync(Box + "/3", "breaker_tripped");
        Assert.Equal(2, outgoing.Grade());
        Assert.StartsWith("outgoing breaker 3 open", outgoing.Summary(), StringComparison.Ordinal);

        // The simulator holds one breaker trip per box: the main one trips as breaker 3 closes.
        await Rig.InjectFaultAsync("box-01", new { fault = "breaker_trip", breaker = 0 });
        await ClearsAsync(Box + "/3", "breaker_tripped", "outgoing breaker 3 closed again");
        var main = await OneTicketAsync(Box, "breaker_tripped");
        Assert.Equal(IsNightAtTheRig(main) ? 1 : 2, main.Grade());
        Assert.StartsWith("main breaker open", main.Summary(), StringComparison.Ordinal);

        await Rig.ClearFaultAsync("box-01", "breaker_trip");
        await ClearsAsync(Box, "breaker_tripped", "main breaker closed again");
    }

    [Fact]
    public async Task A_spent_surge_protector_opens_a_grade3_ticket_on_the_box_and_clears_when_replaced()
    {
        await Rig.InjectFaultAsync("box-01", new { fault = "surge_protector_failed" });
        var ticket = await OneTicketAsync(Box, "surge_protector_spent");
        Assert.Equal(3, ticket.Grade());

        await Rig.ClearFaultAsync("box-01", "surge_protector_failed");
        await ClearsAsync(Box, "surge_protector_spent", "surge protector reports sound");
    }

    [Fact]
    public async Task A_charger_fault_opens_a_grade2_ticket_on_the_emergency_unit_and_clears_when_repaired()
    {
        await Rig.InjectFaultAsync("eps-01", new { fault = "charger_fault" });
        var ticket = await OneTicketAsync(Unit, "charger_fault");
        Assert.Equal(2, ticket.Grade());
        Assert.StartsWith("charger fault", ticket.Summary(), StringComparison.Ordinal);

        await Rig.ClearFaultAsync("eps-01", "charger_fault");
        await ClearsAsync(Unit, "charger_fault", "charger reports sound");
    }

    [Fact]
    public async Task Mains_lost_on_an_emergency_unit_opens_a_grade2_ticket_and_clears_when_the_mains_return()
    {
        await Rig.InjectFaultAsync("eps-01", new { fault = "supply_loss" });
        var ticket = await OneTicketAsync(Unit, "mains_lost");
        Assert.Equal(2, ticket.Grade());
        Assert.StartsWith("mains lost: the unit runs on its battery", ticket.Summary(), StringComparison.Ordinal);

        await Rig.ClearFaultAsync("eps-01", "supply_loss");
        await ClearsAsync(Unit, "mains_lost", "mains back");
    }

    [Fact]
    public async Task A_box_losing_its_supply_opens_a_phase_lost_ticket_graded_by_night_and_clears_when_the_phases_return()
    {
        await Rig.InjectFaultAsync("box-01", new { fault = "supply_loss" });
        var ticket = await OneTicketAsync(Box, "phase_lost");
        Assert.Equal(IsNightAtTheRig(ticket) ? 1 : 2, ticket.Grade());
        Assert.StartsWith("every phase lost", ticket.Summary(), StringComparison.Ordinal);
        Assert.Equal(3, ticket.GetProperty("evidence").GetProperty("phases_lost").GetDouble());

        await Rig.ClearFaultAsync("box-01", "supply_loss");
        await ClearsAsync(Box, "phase_lost", "every phase back above 180 V");
    }

    [Fact]
    public async Task A_lamp_ring_left_down_while_the_lighting_is_due_opens_a_grade2_ticket_and_clears_when_raised()
    {
        // The shipped limit is a quarter of an hour; a few seconds here, through the store engineers use.
        var store = new SqliteThresholdStore(new SqliteDatabase(Rig.DatabasePath), RuleSet.Default.Thresholds, TimeProvider.System, NullLogger<SqliteThresholdStore>.Instance);
        await store.ApplyAsync(ThresholdChange.Set(LampRingLoweredRule.LimitMin, ThresholdScope.ForDevice("rig", "mast-01"), 0.05, "test", "lamp ring within seconds"), CancellationToken.None);

        await Rig.InjectFaultAsync("mast-01", new { fault = "maintenance_key" });
        try
        {
            await Rig.CommandDeviceAsync("mast-01", "commanded_on", true);
            await Rig.CommandDeviceAsync("mast-01", "lift_down", true);
            var ticket = await OneTicketAsync(Mast, "lamp_ring_lowered");
            Assert.Equal(2, ticket.Grade());
            Assert.Contains("while the lighting is due on", ticket.Summary(), StringComparison.Ordinal);

            await Rig.CommandDeviceAsync("mast-01", "lift_down", false);
            await Rig.CommandDeviceAsync("mast-01", "lift_up", true);
            await ClearsAsync(Mast, "lamp_ring_lowered", "lamp ring back at the top");
        }
        finally
        {
            await Rig.CommandDeviceAsync("mast-01", "lift_down", false);
            await Rig.CommandDeviceAsync("mast-01", "lift_up", false);
            await Rig.ClearFaultAsync("mast-01", "maintenance_key");
        }
    }

    /// <summary>Night at the rig's site when the ticket's condition was first seen, as Rules judges it.</summary>
    private bool IsNightAtTheRig(JsonElement ticket) =>
        !SolarCalendar.IsDaylight(ticket.GetProperty("first_occurrence").GetDateTimeOffset(), Rig.Options.Latitude, Rig.Options.Longitude, TimeSpan.Zero);

    private async Task<JsonElement> OneTicketAsync(string asset, string fault)
    {
        var tickets = await Eventually.ValueAsync(
            () => TicketsAsync(asset, fault),
            t => t.Count > 0,
            $"a {fault} ticket on {asset}",
            Pipeline,
            Rig.Logs);

        // Give a duplicate the time to appear if the pipeline were to open one.
        await Task.Delay(TimeSpan.FromSeconds(3));
        tickets = await TicketsAsync(asset, fault);
        Assert.Single(tickets);
        return tickets[0];
    }

    private async Task ClearsAsync(string asset, string fault, string summary)
    {
        var ticket = await Eventually.ValueAsync(
            async () => (await TicketsAsync(asset, fault)).Single(),
            t => !t.ConditionActive(),
            $"the {fault} condition clears on its ticket on {asset}",
            Pipeline,
            Rig.Logs);
        Assert.StartsWith(summary, ticket.GetProperty("condition_cleared_summary").GetString(), StringComparison.Ordinal);
        Assert.Equal("open", ticket.GetProperty("status").GetString());
    }

    private Task<IReadOnlyList<JsonElement>> TicketsAsync(string asset, string fault) =>
        Rig.TicketsAsync($"asset={Uri.EscapeDataString(asset)}&fault={fault}");
}
