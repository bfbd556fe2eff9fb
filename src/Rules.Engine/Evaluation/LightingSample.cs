using Telemetry.Contracts;

namespace Telemetry.Rules.Evaluation;

/// <summary>
/// The lighting values of one reading (of a mast or a circuit), looked up once and shared by the lamp, theft and
/// day-burning rules.
/// </summary>
internal readonly struct LightingSample
{
    private LightingSample(IReadOnlyDictionary<string, ReadingValue> values, DeviceFamily family)
    {
        Values = values;

        // Each family's profile names its own points: looking up only those keeps misses off the hot path.
        if (family == DeviceFamily.LightTimeController)
        {
            HasOutput = ReadingValues.TryFlag(values, PointNames.OutputOn, out var output);
            OutputOn = output;
            return;
        }

        HasCommanded = ReadingValues.TryFlag(values, PointNames.CommandedOn, out var commanded);
        Commanded = commanded;
        HasLampsInstalled = ReadingValues.TryCount(values, PointNames.LampsInstalled, out var installed) && installed > 0;
        LampsInstalled = installed;
        HasLampsLit = ReadingValues.TryCount(values, PointNames.LampsLit, out var lit);
        LampsLit = lit;
        if (family == DeviceFamily.HighMast)
        {
            HasCurrent = ReadingValues.TryNumber(values, PointNames.CurrentA, out var current);
            Current = current;
            return;
        }

        HasContactor = ReadingValues.TryFlag(values, PointNames.ContactorClosed, out var contactor);
        ContactorClosed = contactor;

        // A three-phase circuit: the feeder carries the sum of its phases.
        var l1 = ReadingValues.TryNumber(values, PointNames.CurrentL1A, out var a);
        var l2 = ReadingValues.TryNumber(values, PointNames.CurrentL2A, out var b);
        var l3 = ReadingValues.TryNumber(values, PointNames.CurrentL3A, out var c);
        HasCurrent = l1 || l2 || l3;
        Current = a + b + c;
    }

    /// <summary>The reading's values, for what only a detection needs (evidence).</summary>
    public IReadOnlyDictionary<string, ReadingValue> Values { get; }

    public bool HasCommanded { get; }

    public bool Commanded { get; }

    public bool HasContactor { get; }

    public bool ContactorClosed { get; }

    public bool HasLampsInstalled { get; }

    public long LampsInstalled { get; }

    public bool HasLampsLit { get; }

    public long LampsLit { get; }

    public bool HasOutput { get; }

    public bool OutputOn { get; }

    public bool HasCurrent { get; }

    /// <summary>Feeder current (A): the single current, or the sum of the phase currents.</summary>
    public double Current { get; }

    /// <summary>The lighting should be lit: commanded on, or (a contactor feeding the lamps) the contactor closed.</summary>
    public bool DueOn => Commanded || (HasContactor && ContactorClosed);

    /// <summary>The feeder is switched on: commanded on with the contactor closed (or no contactor reported).</summary>
    public bool FeederOn => Commanded && (!HasContactor || ContactorClosed);

    public static LightingSample From(IReadOnlyDictionary<string, ReadingValue> values, DeviceFamily family) => new(values, family);
}
