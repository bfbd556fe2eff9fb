using Telemetry.Contracts;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Thresholds;
using Telemetry.Rules.Catalogue;
using Telemetry.Rules.Evaluation;
using Telemetry.Rules.Replay;
using Telemetry.Rules.Tests.Evaluation;

namespace Telemetry.Rules.Tests.Replay;

public sealed class RuleReplayTests
{
    // A range long past: the replay's time is the readings', whatever the wall clock says.
    private static readonly DateTimeOffset Start = new(2021, 3, 1, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_stored_range_is_judged_at_its_own_time()
    {
        var inputs = Box(Start, [5, 5, 0.3, 0.3, 0.3, 5, 5, 5]);

        var transitions = Replay().Run(inputs);

        var detected = Assert.Single(transitions.OfType<FaultDetected>(), t => t.Fault == FaultType.LowInsulation);
        Assert.Equal(Start.AddSeconds(40), detected.At);
        Assert.Equal(Start.AddSeconds(70), Assert.Single(transitions.OfType<FaultCleared>(), t => t.Fault == FaultType.LowInsulation).At);

        // The plant's other devices say nothing in this range while the gateway delivers: the replay finds them silent, as live would.
        Assert.Contains(transitions, t => t.Fault == FaultType.DeviceSilent && t.At.Year == 2021);
    }

    [Fact]
    public void A_replay_concludes_what_the_live_engine_concluded()
    {
        var inputs = new List<ReplayInput>();
        inputs.AddRange(Box(Start, [5, 0.2, 0.2, 0.2, 0.2, 5, 5, 5]));
        inputs.AddRange(Mast(Start.AddSeconds(5), [12, 12, 3, 3, 3, 12, 12]));
        inputs.Sort((a, b) => a.At.CompareTo(b.At));

        // The live service: readings arriving as they were stamped, and its tick every 10 s between them.
        var live = new EngineHarness(Start);
        var nextTick = Start.AddSeconds(10);
        foreach (var input in inputs)
        {
            for (; nextTick <= input.At; nextTick = nextTick.AddSeconds(10))
            {
                live.Time.SetUtcNow(nextTick);
                live.Engine.Tick(nextTick, live.Output);
            }

            live.Time.SetUtcNow(input.At);
            live.Engine.OnReadings(input.Site, input.Gateway, ((ReplayedReadings)input).Batch, live.Output);
        }

        var replayed = Replay().Run(inputs);

        Assert.Equal(Summary(live.Output), Summary(replayed));
        Assert.Contains(replayed, t => t is FaultDetected { Fault: var f } && f == FaultType.MastOutage);
    }

    [Fact]
    public void Time_passes_between_inputs_so_what_holds_without_readings_is_judged()
    {
        // The door is read open once; the limit (5 min) runs out with nothing more read.
        var door = Read(Start, "box-01", DeviceFamily.DistributionBox, new() { [PointNames.DoorOpen] = true });

        var transitions = Replay().Run([door], until: Start.AddMinutes(6));

        var detected = Assert.Single(transitions.OfType<FaultDetected>(), t => t.Fault == FaultType.DoorOpen);
        Assert.InRange(detected.At, Start.AddMinutes(5), Start.AddMinutes(5).AddSeconds(10));
    }

    [Fact]
    public void A_proposed_threshold_is_judged_against_the_same_history()
    {
        var inputs = Box(Start, [5, 0.4, 0.4, 0.4, 0.4, 5, 5, 5]);
        var proposed = new ThresholdSnapshot(RuleSet.Default.Thresholds, 1,
        [
            new ThresholdSetting(InsulationBelowLimit.TripMohm, ThresholdScope.Global, 0.3),
            new ThresholdSetting(InsulationBelowLimit.ClearMohm, ThresholdScope.Global, 0.35),
        ]);

        Assert.Single(Replay().Run(inputs), t => t is FaultDetected && t.Fault == FaultType.LowInsulation);
        Assert.DoesNotContain(new RuleReplay(new PlantDirectory([TestPlant.Site()]), proposed).Run(inputs), t => t.Fault == FaultType.LowInsulation);
    }

    private static RuleReplay Replay() => new(new PlantDirectory([TestPlant.Site()]), RuleSet.Default.Thresholds.Defaults);

    private static List<string> Summary(IEnumerable<FaultTransition> transitions) =>
        [.. transitions.Select(t => $"{t.GetType().Name} {t.Fault} {t.Asset.Key} {t.At:O}")];

    private static List<ReplayInput> Box(DateTimeOffset from, double[] insulation) =>
        [.. insulation.Select((mohm, i) => Read(from.AddSeconds(10 * i), "box-01", DeviceFamily.DistributionBox, new() { [PointNames.InsulationMohm] = mohm }))];

    private static List<ReplayInput> Mast(DateTimeOffset from, int[] lit) =>
        [.. lit.Select((n, i) => Read(from.AddSeconds(10 * i), "mast-01", DeviceFamily.HighMast, new()
        {
            [PointNames.CommandedOn] = true,
            [PointNames.LampsInstalled] = 12,
            [PointNames.LampsLit] = n,
            [PointNames.SupplyPresent] = true,
        }))];

    private static ReplayedReadings Read(DateTimeOffset at, string device, DeviceFamily family, Dictionary<string, ReadingValue> values) =>
        new(TestPlant.SiteId, TestPlant.GatewayId, new ReadingBatch
        {
            Site = TestPlant.SiteId,
            Gateway = TestPlant.GatewayId,
            Seq = at.ToUnixTimeMilliseconds(),
            Sent = at,
            Readings = [new Reading { Device = device, Family = family, Ts = at, Values = values }],
        });
}
