using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Telemetry.Contracts;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Storage;
using Telemetry.Maintenance.Tests.Storage;
using Telemetry.Maintenance.Tests.Thresholds;
using Telemetry.Maintenance.Thresholds;
using Telemetry.Maintenance.Tickets;
using Telemetry.Maintenance.WorkOrders;

namespace Telemetry.Maintenance.Tests.WorkOrders;

/// <summary>Readings a crew enters on a work order, judged like telemetry, on a real SQLite file.</summary>
public sealed class EnteredReadingTests : IDisposable
{
    private readonly TemporaryDatabase database = new();
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2027, 3, 10, 2, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task An_earth_resistance_entered_above_4_ohm_opens_the_grade_3_earth_ticket_the_rule_would()
    {
        var (completion, tickets) = Open();
        var number = await Scheduled(MaintenanceTask.EarthResistanceTest, "mast-03");

        var done = await completion.CompleteAsync(number, "crew-masts", Checklist(MaintenanceTask.EarthResistanceTest), new Dictionary<string, double> { [PointNames.EarthResistanceOhm] = 6.2 }, null, DemoPlant.Site, CancellationToken.None);

        var recorded = Assert.Single(done.Tickets);
        Assert.True(recorded.Opened);
        var ticket = Assert.Single(await tickets.ListAsync(new TicketQuery { OpenOnly = true }, CancellationToken.None));
        Assert.Equal((FaultType.HighEarthResistance, FaultGrade.Grade3, "demo/gw-demo-01/mast-03", "crew-masts"), (ticket.Fault, ticket.Grade, ticket.Asset.Key, ticket.Crew));
        Assert.Equal(6.2, ticket.Evidence[PointNames.EarthResistanceOhm]);
        Assert.Equal(WorkOrderStatus.Done, done.WorkOrder.Status);
    }

    [Fact]
    public async Task An_insulation_entered_below_half_a_megohm_opens_the_grade_2_low_insulation_ticket()
    {
        var (completion, tickets) = Open();
        var number = await Scheduled(MaintenanceTask.InsulationTest, "box-02");

        await completion.CompleteAsync(number, "crew-central", Checklist(MaintenanceTask.InsulationTest), new Dictionary<string, double> { [PointNames.InsulationMohm] = 0.3 }, null, DemoPlant.Site, CancellationToken.None);

        var ticket = Assert.Single(await tickets.ListAsync(new TicketQuery { OpenOnly = true }, CancellationToken.None));
        Assert.Equal((FaultType.LowInsulation, FaultGrade.Grade2, "demo/gw-demo-01/box-02"), (ticket.Fault, ticket.Grade, ticket.Asset.Key));
    }

    [Fact]
    public async Task Readings_within_their_limits_open_no_ticket_and_the_limit_is_the_one_an_engineer_set()
    {
        var (completion, tickets) = Open();
        var thresholds = new SqliteThresholdStore(new SqliteDatabase(database.Path), Shipped.Catalogue, time, NullLogger<SqliteThresholdStore>.Instance);
        await thresholds.ApplyAsync(ThresholdChange.Set(Shipped.EarthTripOhm, ThresholdScope.Global, 10, "engineer", "clay soil"), CancellationToken.None);
        var within = await Scheduled(MaintenanceTask.EarthResistanceTest, "mast-01");
        var above = await Scheduled(MaintenanceTask.EarthResistanceTest, "mast-02");

        var first = await completion.CompleteAsync(within, "crew-masts", Checklist(MaintenanceTask.EarthResistanceTest), new Dictionary<string, double> { [PointNames.EarthResistanceOhm] = 6.2 }, null, DemoPlant.Site, CancellationToken.None);
        var second = await completion.CompleteAsync(above, "crew-masts", Checklist(MaintenanceTask.EarthResistanceTest), new Dictionary<string, double> { [PointNames.EarthResistanceOhm] = 10.5 }, null, DemoPlant.Site, CancellationToken.None);

        Assert.Empty(first.Tickets);
        Assert.Single(second.Tickets);
        Assert.Equal("demo/gw-demo-01/mast-02", Assert.Single(await tickets.ListAsync(new TicketQuery(), CancellationToken.None)).Asset.Key);
    }

    public void Dispose() => database.Dispose();

    private static Dictionary<string, bool> Checklist(MaintenanceTask task) => task.Checklist().ToDictionary(c => c, _ => true);

    private (WorkOrderCompletion Completion, SqliteTicketRepository Tickets) Open()
    {
        var tickets = database.OpenRepository(time);
        var thresholds = new SqliteThresholdStore(new SqliteDatabase(database.Path), Shipped.Catalogue, time, NullLogger<SqliteThresholdStore>.Instance);
        return (new WorkOrderCompletion(new SqliteWorkOrderStore(new SqliteDatabase(database.Path)), tickets, thresholds, time), tickets);
    }

    private async Task<WorkOrderNumber> Scheduled(MaintenanceTask task, string device)
    {
        var store = new SqliteWorkOrderStore(new SqliteDatabase(database.Path));
        var planned = MaintenancePlan.Between(DemoPlant.Site, new Dictionary<MaintenanceTask, MaintenanceInterval>(), new DateOnly(2027, 1, 1), new DateOnly(2027, 12, 31))
            .Single(p => p.Task == task && p.Asset.Device == device);
        var order = Assert.Single(await store.AddAsync([planned], time.GetUtcNow(), CancellationToken.None));
        await store.ChangeAsync(order.Number, o => o.Start("crew", time.GetUtcNow()), CancellationToken.None);
        return order.Number;
    }
}
