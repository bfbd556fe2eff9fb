using System.Globalization;

namespace Telemetry.Bench.Chaos;

/// <summary>The processes a chaos run kills and pauses: the broker, the database and every service.</summary>
internal enum ChaosTarget
{
    Mosquitto,
    Influxd,
    Ingest,
    Rules,
    Gateway,
    Api,
}

internal enum DisruptionKind
{
    /// <summary>SIGKILL, then started again after the hold.</summary>
    Kill,

    /// <summary>SIGSTOP, then SIGCONT after the hold.</summary>
    Pause,
}

/// <summary>One planned kill or pause: when (from the start of the chaos), of what, and for how long.</summary>
internal sealed record Disruption(int Number, TimeSpan At, ChaosTarget Target, DisruptionKind Kind, TimeSpan Hold);

/// <summary>A fault injected into one simulated device, and the ticket it must open (the fault type's name).</summary>
internal sealed record PlannedFault(TimeSpan At, string Device, string Fault, IReadOnlyDictionary<string, object> Parameters, string Ticket)
{
    public string Describe() =>
        Parameters.Count == 0 ? Fault : $"{Fault} {string.Join(' ', Parameters.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key}={p.Value}")))}";
}

/// <summary>
/// What a chaos run does when, drawn from one seed so that a run can be replayed: a kill or pause every 5 to 20 s of a
/// process that is not already down (every process killed and paused once before any twice), and each fault of <see cref="Faults"/> once, on its own device, early enough that its
/// ticket can open before the chaos ends.
/// </summary>
internal sealed class ChaosSchedule
{
    /// <summary>Quiet at the start, so that every consumer has seen the stream before the first blow.</summary>
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(10);

    /// <summary>A killed process is down this long at most before it is started again.</summary>
    public static readonly TimeSpan MaxDown = TimeSpan.FromSeconds(10);

    /// <summary>A paused process is stopped this long at most before it is continued.</summary>
    public static readonly TimeSpan MaxPause = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Faults whose tickets do not depend on day or night, each on a device of its own in the demo plant: one ticket each
    /// is expected, none more.
    /// </summary>
    private static readonly (string Device, string Fault, (string Name, object Value)[] Parameters, string Ticket)[] Faults =
    [
        ("box-01", "low_insulation", [("mohm", 0.3)], "low_insulation"),
        ("box-02", "high_leakage", [("ma", 45)], "high_leakage"),
        ("box-03", "high_earth_resistance", [("ohm", 6.5)], "high_earth_resistance"),
        ("box-04", "surge_protector_failed", [], "surge_protector_spent"),
        ("box-05", "low_insulation", [("mohm", 0.2)], "low_insulation"),
        ("box-06", "high_leakage", [("ma", 60)], "high_leakage"),
        ("eps-01", "charger_fault", [], "charger_fault"),
        ("ltc-01", "clock_drift", [("offset_s", 300)], "clock_drift"),
        ("mast-02", "lift_fault", [("code", 1)], "lift_fault"),
    ];

    private ChaosSchedule(int seed, IReadOnlyList<Disruption> disruptions, IReadOnlyList<PlannedFault> faults)
    {
        Seed = seed;
        Disruptions = disruptions;
        PlannedFaults = faults;
    }

    public int Seed { get; }

    public IReadOnlyList<Disruption> Disruptions { get; }

    public IReadOnlyList<PlannedFault> PlannedFaults { get; }

    public static ChaosSchedule Make(int seed, TimeSpan chaos)
    {
        var random = new Random(seed);
        var disruptions = new List<Disruption>();
        var busyUntil = Enum.GetValues<ChaosTarget>().ToDictionary(t => t, _ => TimeSpan.Zero);
        var deck = new List<(ChaosTarget Target, DisruptionKind Kind)>();
        var at = WarmUp;
        while (true)
        {
            at += Seconds(random, 5, 20);
            if (at > chaos - TimeSpan.FromSeconds(5))
            {
                break;
            }

            // Drawn from a shuffled deck of every process with each blow, so that a long enough run kills and pauses each of them.
            if (deck.Count == 0)
            {
                deck.AddRange(Enum.GetValues<ChaosTarget>().SelectMany(t => new[] { (t, DisruptionKind.Kill), (t, DisruptionKind.Pause) }));
                random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(deck));
            }

            var index = deck.FindIndex(d => busyUntil[d.Target] <= at);
            if (index < 0)
            {
                continue;
            }

            var (target, kind) = deck[index];
            deck.RemoveAt(index);
            var hold = kind == DisruptionKind.Kill ? Seconds(random, 0.5, MaxDown.TotalSeconds) : Seconds(random, 1, MaxPause.TotalSeconds);

            // The same process again only once it is surely back (a restart takes a few seconds).
            busyUntil[target] = at + hold + TimeSpan.FromSeconds(15);
            disruptions.Add(new Disruption(disruptions.Count + 1, at, target, kind, hold));
        }

        var latest = chaos * 0.7;
        var faults = Faults
            .Select(f => new PlannedFault(
                Seconds(random, 5, Math.Max(6, latest.TotalSeconds)),
                f.Device,
                f.Fault,
                f.Parameters.ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal),
                f.Ticket))
            .OrderBy(f => f.At)
            .ToList();
        return new ChaosSchedule(seed, disruptions, faults);
    }

    private static TimeSpan Seconds(Random random, double from, double to) =>
        TimeSpan.FromMilliseconds(Math.Round((from + (random.NextDouble() * (to - from))) * 1000));
}
