using Telemetry.Contracts;
using Telemetry.Gateway.BatteryTests;
using Telemetry.Testing;

namespace Telemetry.Gateway.Tests.BatteryTests;

/// <summary>The gateway's record of emergency tests on disk.</summary>
public sealed class BatteryTestLedgerTests : IDisposable
{
    private static readonly DateTimeOffset Monday = new(2027, 3, 1, 2, 0, 0, TimeSpan.Zero);
    private readonly string _folder = RepositoryPaths.NewScratchDirectory("battery-ledger");

    private string PathOf => Path.Combine(_folder, "battery-tests.jsonl");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void What_was_recorded_is_known_again_after_a_restart()
    {
        using (var ledger = BatteryTestLedger.Open(PathOf, new RecordingLogger()))
        {
            ledger.Started("eps-01", BatteryTestKind.OneHour, BatteryTestNames.Schedule, Monday);
            ledger.Finished("eps-01", BatteryTestKind.OneHour, "passed", Monday.AddHours(1));
            Assert.True(ledger.Postponed("eps-02", BatteryTestNames.MainsAbsent, Monday));
            Assert.False(ledger.Postponed("eps-02", BatteryTestNames.MainsAbsent, Monday.AddMinutes(1)));
        }

        using var reopened = BatteryTestLedger.Open(PathOf, new RecordingLogger());

        var unit = reopened.For("eps-01");
        Assert.Equal((Monday.AddHours(1), Monday.AddHours(1), (DateTimeOffset?)null), (unit.LastOneHour, unit.LastCovering(BatteryTestKind.Function), unit.LastFullDuration));
        Assert.Equal(Monday.AddHours(1) + TimeSpan.FromHours(24), unit.DischargedUntil(TimeSpan.FromHours(24), TimeSpan.FromHours(4)));
        Assert.Equal(BatteryTestNames.MainsAbsent, reopened.For("eps-02").Postponed);
        Assert.False(reopened.Postponed("eps-02", BatteryTestNames.MainsAbsent, Monday.AddHours(2)), "the postponement is not recorded twice across a restart");
        Assert.Equal(0, reopened.CorruptLines);
    }

    [Fact]
    public void A_torn_or_edited_line_is_skipped_logged_with_its_number_and_counted_and_the_other_lines_still_count()
    {
        using (var ledger = BatteryTestLedger.Open(PathOf, new RecordingLogger()))
        {
            ledger.Started("eps-01", BatteryTestKind.Function, BatteryTestNames.Schedule, Monday);
            ledger.Finished("eps-01", BatteryTestKind.Function, "failed", Monday.AddMinutes(2));
        }

        File.AppendAllText(PathOf, "{\"unit\":\"eps-02\",\"at\":\"2027-03-01T02:00:00Z\",\"what\":\"fini\n{\"unit\":\"eps-03\",\"at\":\"yesterday\",\"what\":\"started\",\"test\":\"function\"}\n");
        var logger = new RecordingLogger();

        using (var reopened = BatteryTestLedger.Open(PathOf, logger))
        {
            Assert.Equal(2, reopened.CorruptLines);
            Assert.True(reopened.For("eps-01").LastFailed);
            Assert.Equal(Monday.AddMinutes(2), reopened.For("eps-01").LastFunction);
            Assert.Same(UnitTestHistory.None, reopened.For("eps-03"));
            Assert.Contains(logger.Entries.Select(e => e.Message), m => m.Contains("line 3", StringComparison.Ordinal) && m.Contains("not JSON", StringComparison.Ordinal));
            Assert.Contains(logger.Entries.Select(e => e.Message), m => m.Contains("line 4", StringComparison.Ordinal) && m.Contains("'at'", StringComparison.Ordinal));
        }

        // Rewritten without the bad lines, the same state.
        using var again = BatteryTestLedger.Open(PathOf, new RecordingLogger());
        Assert.Equal(0, again.CorruptLines);
        Assert.Equal((Monday.AddMinutes(2), true), (again.For("eps-01").LastFunction, again.For("eps-01").LastFailed));
    }

    [Fact]
    public void A_discharge_test_never_seen_ending_counts_as_running_for_the_longest_test_then_recharging()
    {
        using var ledger = BatteryTestLedger.Open(PathOf, new RecordingLogger());
        ledger.Started("eps-01", BatteryTestKind.Duration, BatteryTestNames.Schedule, Monday);

        Assert.Equal(Monday.AddHours(4 + 24), ledger.For("eps-01").DischargedUntil(TimeSpan.FromHours(24), TimeSpan.FromHours(4)));
        Assert.Null(ledger.For("eps-01").LastFullDuration);
    }
}
