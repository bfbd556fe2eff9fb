using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Storage;
using Telemetry.Maintenance.Tickets;
using static Telemetry.Maintenance.Tests.Tickets.Detections;

namespace Telemetry.Maintenance.Tests.Storage;

public sealed class SqliteCaseLibraryTests : IDisposable
{
    private readonly TemporaryDatabase database = new();
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider time = TestClock.Create();
    private readonly SqliteTicketRepository repository;
    private readonly SqliteCaseLibrary library;

    public SqliteCaseLibraryTests()
    {
        repository = database.OpenRepository(time);
        library = new SqliteCaseLibrary(new SqliteDatabase(database.Path));
    }

    private static CancellationToken Cancel => CancellationToken.None;

    public void Dispose() => database.Dispose();

    [Fact]
    public async Task A_repair_is_found_by_any_word_of_its_cause_action_or_parts_in_English_or_Chinese_and_by_its_fault()
    {
        var drivers = await RepairAsync(7, FaultType.MastOutage, new Resolution("lamp drivers burnt out after a surge", "replaced drivers", ["driver 150W"], RepairKind.Hardware));
        var contactor = await RepairAsync(8, FaultType.MastOutage, new Resolution("接触器线圈烧毁", "更换交流接触器", ["CJX2-25 接触器"], RepairKind.Hardware, "雨后受潮"));
        var relay = await RepairAsync(9, FaultType.PhaseLost, new Resolution("phase relay stuck", "relay reset remotely", [], RepairKind.Software));

        Assert.Equal([drivers], await NumbersAsync(new CaseQuery("driver", null)));
        Assert.Equal([drivers], await NumbersAsync(new CaseQuery("SURGE burnt", null)));
        Assert.Equal([contactor], await NumbersAsync(new CaseQuery("接触器", null)));
        Assert.Equal([contactor], await NumbersAsync(new CaseQuery("受潮", null)));
        Assert.Equal([contactor], await NumbersAsync(new CaseQuery("CJX2", null)));
        Assert.Equal([relay, contactor, drivers], await NumbersAsync(new CaseQuery(null, null)));
        Assert.Equal([contactor, drivers], await NumbersAsync(new CaseQuery(null, "mast_outage")));
        Assert.Empty(await NumbersAsync(new CaseQuery("relay", "mast_outage")));

        var found = Assert.Single(await library.SearchAsync(new CaseQuery("接触器线圈", null), Cancel));
        Assert.Equal(("接触器线圈烧毁", "更换交流接触器", "雨后受潮"), (found.Cause, found.Action, found.Note));
        Assert.Equal(["CJX2-25 接触器"], found.Parts);
    }

    [Theory]
    [InlineData("\"unbalanced")]
    [InlineData("NEAR(a b)")]
    [InlineData("cause: x OR *")]
    [InlineData("%_\\")]
    public async Task Search_syntax_in_what_a_user_typed_is_only_text(string text)
    {
        await RepairAsync(7, FaultType.MastOutage, new Resolution("lamp drivers burnt out", "replaced drivers", [], RepairKind.Hardware));

        Assert.Empty(await library.SearchAsync(new CaseQuery(text, null), Cancel));
        Assert.Single(await library.SearchAsync(new CaseQuery("drivers", null), Cancel));
    }

    [Fact]
    public async Task A_ticket_sent_back_to_the_crew_leaves_the_library_and_its_next_repair_takes_its_place()
    {
        var number = await RepairAsync(7, FaultType.MastOutage, new Resolution("fuse blown", "fuse replaced", ["fuse 10A"], RepairKind.Hardware));
        var at = time.GetUtcNow().AddHours(5);
        await repository.ChangeAsync(number, t => t.Close("operator.zhang", at, "verified"), Cancel);
        await repository.ChangeAsync(number, t => t.Reopen("dark again", "operator.zhang", at.AddHours(1)), Cancel);

        Assert.Empty(await library.SearchAsync(new CaseQuery("fuse", null), Cancel));

        await repository.ChangeAsync(number, t => t.Acknowledge("li.wei", at.AddHours(2)), Cancel);
        await repository.ChangeAsync(number, t => t.Resolve(new Resolution("cable fault under the road", "cable section replaced", ["YJV 4x16"], RepairKind.Hardware), "li.wei", at.AddHours(3)), Cancel);
        Assert.Empty(await library.SearchAsync(new CaseQuery("fuse", null), Cancel));
        Assert.Equal("cable section replaced", Assert.Single(await library.SearchAsync(new CaseQuery("cable", null), Cancel)).Action);
    }

    [Fact]
    public async Task A_store_from_before_the_case_library_gets_its_past_repairs_into_it_once_when_first_opened()
    {
        var drivers = await RepairAsync(7, FaultType.MastOutage, new Resolution("lamp drivers burnt out after a surge", "replaced drivers", ["driver 150W"], RepairKind.Hardware));
        var fuse = await RepairAsync(8, FaultType.MastOutage, new Resolution("熔断器熔断", "更换熔断器", ["RT18 10A"], RepairKind.Hardware));
        await repository.ChangeAsync(fuse, t => t.Close("operator.zhang", time.GetUtcNow().AddHours(1), "verified"), Cancel);
        time.Advance(TimeSpan.FromMinutes(10));
        await repository.RecordAsync(Detected(time.GetUtcNow(), asset: Mast(9), fault: FaultType.MastOutage), Cancel);

        // The store as an earlier version left it: the tickets and their repairs, no library and no record of filling it.
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={database.Path}"))
        {
            await connection.OpenAsync(Cancel);
            await using var command = connection.CreateCommand();
            command.CommandText = "DROP TABLE ticket_cases; DROP TABLE ticket_store_steps;";
            await command.ExecuteNonQueryAsync(Cancel);
        }

        // The next process to open the store fills the library from the repairs (the open ticket has none), once.
        var reopened = database.OpenRepository(time);
        Assert.NotNull(await reopened.FindAsync(drivers, Cancel));
        var again = new SqliteCaseLibrary(new SqliteDatabase(database.Path));
        Assert.Equal([fuse, drivers], [.. (await again.SearchAsync(new CaseQuery(null, null), Cancel)).Select(c => c.Number)]);
        Assert.Equal("更换熔断器", Assert.Single(await again.SearchAsync(new CaseQuery("熔断器", null), Cancel)).Action);
        Assert.Equal(["driver 150W"], Assert.Single(await again.SearchAsync(new CaseQuery("surge", null), Cancel)).Parts);

        var third = database.OpenRepository(time);
        Assert.NotNull(await third.FindAsync(fuse, Cancel));
        Assert.Equal(2, (await new SqliteCaseLibrary(new SqliteDatabase(database.Path)).SearchAsync(new CaseQuery(null, null), Cancel)).Count);
    }

    private async Task<IReadOnlyList<TicketNumber>> NumbersAsync(CaseQuery query) => [.. (await library.SearchAsync(query, Cancel)).Select(c => c.Number)];

    private async Task<TicketNumber> RepairAsync(int mast, FaultType fault, Resolution repair)
    {
        time.Advance(TimeSpan.FromMinutes(10));
        var number = (await repository.RecordAsync(Detected(time.GetUtcNow(), asset: Mast(mast), fault: fault), Cancel)).Ticket.Number;
        await repository.ChangeAsync(number, t => t.Acknowledge("li.wei", time.GetUtcNow()), Cancel);
        await repository.ChangeAsync(number, t => t.Resolve(repair, "li.wei", time.GetUtcNow().AddMinutes(1)), Cancel);
        return number;
    }
}
