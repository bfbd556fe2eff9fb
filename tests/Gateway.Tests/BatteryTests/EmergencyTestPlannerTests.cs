using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Telemetry.Contracts;
using Telemetry.Devices.Profiles;
using Telemetry.Devices.Sites;
using Telemetry.Gateway.BatteryTests;
using Telemetry.Testing;

namespace Telemetry.Gateway.Tests.BatteryTests;

/// <summary>The automatic emergency tests over a simulated month of the demo plant, on a fake clock and a real ledger file.</summary>
public sealed class EmergencyTestPlannerTests : IDisposable
{
    private static readonly Site Demo = SiteLoader.LoadFile(
        Path.Combine(RepositoryPaths.Hardware, "sites", "demo.json"),
        ProfileLoader.LoadDirectory(Path.Combine(RepositoryPaths.Hardware, "profiles")));

    // Monday 1 March 2027, midnight in Shanghai.
    private static readonly DateTimeOffset Start = new(2027, 3, 1, 0, 0, 0, TimeSpan.FromHours(8));

    private readonly string _folder = RepositoryPaths.NewScratchDirectory("emergency-plan");

    private static EmergencyTestSchedule Schedule => Demo.EmergencyTests!;

    private static IReadOnlyList<SiteDevice> Units => [.. Demo.Devices.Where(d => d.Family == DeviceFamily.EmergencyBattery)];

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Over_a_month_every_unit_gets_its_function_test_inside_the_window_outside_occupied_hours_and_never_more_than_the_share_of_its_group_at_once()
    {
        using var plant = new SimulatedPlant(Path.Combine(_folder, "ledger.jsonl"), Start);
        plant.Seed(function: Start.AddDays(-35), oneHour: Start.AddDays(-60), fullDuration: Start.AddDays(-60));

        plant.Run(TimeSpan.FromDays(31));

        Assert.Equal(Units.Select(u => u.Id).Order(StringComparer.Ordinal), plant.Runs.Where(r => r.Kind == BatteryTestKind.Function).Select(r => r.Unit).Distinct().Order(StringComparer.Ordinal));
        foreach (var run in plant.Runs)
        {
            Assert.True(Schedule.Window.Holds(run.LocalStart, run.LocalEnd), $"{run.Unit} tested {run.LocalStart:ddd HH:mm}-{run.LocalEnd:HH:mm}, outside the window");
            var group = Units.Single(u => u.Id == run.Unit).Group!;
            Assert.DoesNotContain(Schedule.OccupancyOf(group), o => o.Overlaps(run.LocalStart, run.LocalEnd));
        }

        Assert.True(plant.MostRunningInOneGroup.All(g => g.Value <= Math.Max(1, Math.Floor(Schedule.ShareOf(g.Key) * Units.Count(u => u.Group == g.Key)))),
            string.Join(", ", plant.MostRunningInOneGroup.Select(g => $"{g.Key}: {g.Value}")));

        // A tunnel of two units, half at once: never both.
        Assert.Equal(1, plant.MostRunningInOneGroup["tunnel"]);
        Assert.Empty(plant.Postponements);
    }

    [Fact]
    public void With_no_test_known_each_unit_runs_the_full_duration_test_first_which_stands_for_that_month_s_function_test()
    {
        using var plant = new SimulatedPlant(Path.Combine(_folder, "ledger.jsonl"), Start);

        plant.Run(TimeSpan.FromDays(29));

        Assert.All(Units, u => Assert.Equal([BatteryTestKind.Duration], plant.Runs.Where(r => r.Unit == u.Id).Select(r => r.Kind)));

        // Staggered: the second unit of a group starts only after the first has recharged.
        var tunnel = plant.Runs.Where(r => r.Unit is "eps-02" or "eps-03").OrderBy(r => r.LocalStart).ToList();
        Assert.True(tunnel[1].LocalStart >= tunnel[0].LocalEnd + Schedule.Recharge, $"{tunnel[0].LocalEnd} then {tunnel[1].LocalStart}");
    }

    [Fact]
    public void A_unit_without_mains_is_postponed_once_recorded_and_tested_after_the_mains_returns()
    {
        using var plant = new SimulatedPlant(Path.Combine(_folder, "ledger.jsonl"), Start);
        plant.Seed(function: Start.AddDays(-35), oneHour: Start.AddDays(-60), fullDuration: Start.AddDays(-60));
        plant.MainsAbsent.Add("eps-04");

        plant.Run(TimeSpan.FromDays(3));
        Assert.DoesNotContain(plant.Runs, r => r.Unit == "eps-04");
        var postponed = Assert.Single(plant.Postponements);
        Assert.Equal(("eps-04", BatteryTestNames.MainsAbsent), (postponed.Unit, postponed.Reason));
        Assert.Equal(BatteryTestNames.MainsAbsent, plant.Ledger.For("eps-04").Postponed);

        plant.MainsAbsent.Clear();
        plant.Run(TimeSpan.FromDays(4));
        var run = Assert.Single(plant.Runs, r => r.Unit == "eps-04");
        Assert.Equal(BatteryTestKind.Function, run.Kind);
        Assert.Null(plant.Ledger.For("eps-04").Postponed);
    }

    [Fact]
    public void A_unit_whose_last_test_failed_is_postponed_as_faulty_until_a_test_by_command_passes()
    {
        using var plant = new SimulatedPlant(Path.Combine(_folder, "ledger.jsonl"), Start);
        plant.Seed(function: Start.AddDays(-35), oneHour: Start.AddDays(-60), fullDuration: Start.AddDays(-60));
        plant.Ledger.Started("eps-01", BatteryTestKind.Function, BatteryTestNames.Command, Start.AddDays(-34));
        plant.Ledger.Finished("eps-01", BatteryTestKind.Function, "failed", Start.AddDays(-34));

        plant.Run(TimeSpan.FromDays(2));
        Assert.DoesNotContain(plant.Runs, r => r.Unit == "eps-01");
        Assert.Equal([("eps-01", BatteryTestNames.UnitFaulty)], plant.Postponements.Select(p => (p.Unit, p.Reason)));

        // Repaired, and a test by command passes: the schedule counts it as this month's.
        plant.Ledger.Started("eps-01", BatteryTestKind.Function, BatteryTestNames.Command, plant.Clock.GetUtcNow());
        plant.Ledger.Finished("eps-01", BatteryTestKind.Function, "passed", plant.Clock.GetUtcNow());
        plant.Run(TimeSpan.FromDays(20));
        Assert.DoesNotContain(plant.Runs, r => r.Unit == "eps-01");
    }

    [Fact]
    public void A_gateway_restarted_mid_month_on_its_ledger_runs_exactly_the_tests_an_uninterrupted_one_runs()
    {
        List<SimulatedPlant.TestRun> straight;
        using (var plant = new SimulatedPlant(Path.Combine(_folder, "straight.jsonl"), Start))
        {
            plant.Seed(function: Start.AddDays(-35), oneHour: Start.AddDays(-200), fullDuration: Start.AddDays(-300));
            plant.Run(TimeSpan.FromDays(31));
            straight = [.. plant.Runs];
        }

        var restartedRuns = new List<SimulatedPlant.TestRun>();
        var path = Path.Combine(_folder, "restarted.jsonl");
        var restartAt = Start.AddDays(15).AddHours(10.5);
        using (var first = new SimulatedPlant(path, Start))
        {
            first.Seed(function: Start.AddDays(-35), oneHour: Start.AddDays(-200), fullDuration: Start.AddDays(-300));
            first.Run(restartAt - Start);
            restartedRuns.AddRange(first.Runs);
        }

        using (var second = new SimulatedPlant(path, restartAt))
        {
            second.Run(Start.AddDays(31) - restartAt);
            restartedRuns.AddRange(second.Runs);
        }

        Assert.Equal(straight.Select(r => (r.Unit, r.Kind, r.LocalStart)).Order(), restartedRuns.Select(r => (r.Unit, r.Kind, r.LocalStart)).Order());
        Assert.Contains(straight, r => r.Kind == BatteryTestKind.OneHour);
    }

    [Fact]
    public void No_test_starts_outside_the_window_even_when_one_is_due()
    {
        var units = Units.Select(u => new EmergencyUnitState(u.Id, u.Group, UnitCondition.Ready, UnitTestHistory.None, TimeSpan.FromMinutes(90))).ToList();

        Assert.Empty(EmergencyTestPlanner.Plan(units, Schedule, Demo.TimeZone, Start.AddHours(8)).Starts);
        Assert.Empty(EmergencyTestPlanner.Plan(units, Schedule, Demo.TimeZone, Start.AddHours(15)).Starts);
        Assert.NotEmpty(EmergencyTestPlanner.Plan(units, Schedule, Demo.TimeZone, Start.AddHours(14)).Starts);
        Assert.Empty(EmergencyTestPlanner.Plan(units, Schedule with { Enabled = false }, Demo.TimeZone, Start.AddHours(14)).Starts);
    }

    [Fact]
    public void A_mains_lost_outside_the_window_is_not_recorded_as_a_postponement()
    {
        var units = Units.Select(u => new EmergencyUnitState(u.Id, u.Group, UnitCondition.MainsAbsent, UnitTestHistory.None, TimeSpan.FromMinutes(90))).ToList();

        Assert.Empty(EmergencyTestPlanner.Plan(units, Schedule, Demo.TimeZone, Start.AddHours(20)).Postponed);
        Assert.Equal(Units.Count, EmergencyTestPlanner.Plan(units, Schedule, Demo.TimeZone, Start.AddHours(14)).Postponed.Count);
    }

    /// <summary>The demo plant's emergency units, their tests taking simulated time, planned every 5 minutes.</summary>
    private sealed class SimulatedPlant : IDisposable
    {
        private static readonly TimeSpan Step = TimeSpan.FromMinutes(5);
        private readonly Dictionary<string, (BatteryTestKind Kind, DateTimeOffset Started, DateTimeOffset Ends)> _running = new(StringComparer.Ordinal);

        public SimulatedPlant(string ledgerPath, DateTimeOffset start)
        {
            Clock = new FakeTimeProvider(start);
            Ledger = BatteryTestLedger.Open(ledgerPath, NullLogger.Instance);
        }

        public sealed record TestRun(string Unit, BatteryTestKind Kind, DateTime LocalStart, DateTime LocalEnd);

        public FakeTimeProvider Clock { get; }

        public BatteryTestLedger Ledger { get; }

        public List<TestRun> Runs { get; } = [];

        public List<Postponement> Postponements { get; } = [];

        public HashSet<string> MainsAbsent { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, int> MostRunningInOneGroup { get; } = new(StringComparer.Ordinal);

        public void Seed(DateTimeOffset function, DateTimeOffset oneHour, DateTimeOffset fullDuration)
        {
            foreach (var unit in Units)
            {
                foreach (var (kind, at) in new[] { (BatteryTestKind.Duration, fullDuration), (BatteryTestKind.OneHour, oneHour), (BatteryTestKind.Function, function) }.OrderBy(t => t.Item2))
                {
                    Ledger.Started(unit.Id, kind, BatteryTestNames.Command, at);
                    Ledger.Finished(unit.Id, kind, "passed", at);
                }
            }
        }

        public void Run(TimeSpan span)
        {
            var end = Clock.GetUtcNow() + span;
            while (Clock.GetUtcNow() < end)
            {
                Tick();
                Clock.Advance(Step);
            }
        }

        private void Tick()
        {
            var now = Clock.GetUtcNow();
            foreach (var (unit, test) in _running.Where(r => r.Value.Ends <= now).ToList())
            {
                Ledger.Finished(unit, test.Kind, "passed", test.Ends);
                Runs.Add(new TestRun(unit, test.Kind, Local(test.Started), Local(test.Ends)));
                _running.Remove(unit);
            }

            var states = Units.Select(u => new EmergencyUnitState(
                u.Id,
                u.Group,
                _running.ContainsKey(u.Id) ? UnitCondition.Testing : MainsAbsent.Contains(u.Id) ? UnitCondition.MainsAbsent : UnitCondition.Ready,
                Ledger.For(u.Id),
                TimeSpan.FromMinutes(90))).ToList();
            var plan = EmergencyTestPlanner.Plan(states, Schedule, Demo.TimeZone, now);
            foreach (var postponement in plan.Postponed)
            {
                if (Ledger.Postponed(postponement.Unit, postponement.Reason, now))
                {
                    Postponements.Add(postponement);
                }
            }

            foreach (var test in plan.Starts)
            {
                Assert.False(_running.ContainsKey(test.Unit), $"{test.Unit} started while testing");
                var length = test.Kind switch { BatteryTestKind.Duration => TimeSpan.FromMinutes(90), BatteryTestKind.OneHour => TimeSpan.FromHours(1), _ => TimeSpan.FromMinutes(2) };
                Ledger.Started(test.Unit, test.Kind, BatteryTestNames.Schedule, now);
                _running[test.Unit] = (test.Kind, now, now + length);
            }

            foreach (var group in Units.GroupBy(u => u.Group!))
            {
                var running = group.Count(u => _running.ContainsKey(u.Id));
                MostRunningInOneGroup[group.Key] = Math.Max(MostRunningInOneGroup.GetValueOrDefault(group.Key), running);
            }
        }

        private static DateTime Local(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, Demo.TimeZone).DateTime;

        public void Dispose()
        {
            // A restart: what runs is seen ending by the next gateway's ledger only as a start.
            Ledger.Dispose();
        }
    }
}
