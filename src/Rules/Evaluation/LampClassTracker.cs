using Telemetry.Maintenance.Faults;

namespace Telemetry.Rules.Evaluation;

/// <summary>How dark a mast or circuit is: the three lamp faults are mutually exclusive classes of one quantity.</summary>
internal enum LampClass
{
    AllLit,
    SingleLampsDark,
    MastOutage,
    TotalDark,
}

/// <summary>
/// The lamp fault of one asset. A new class must be observed on N consecutive readings before it replaces the
/// active one; the replacement clears the old fault and detects the new one, so at most one of the three is open.
/// </summary>
internal sealed class LampClassTracker
{
    private LampClass candidate;
    private int run;

    public LampClass Active { get; private set; }

    /// <summary>The class this observation confirmed as the new active one, or null when the active class stands.</summary>
    public LampClass? Observe(LampClass observed, int readings)
    {
        if (observed == Active)
        {
            run = 0;
            return null;
        }

        if (observed != candidate)
        {
            candidate = observed;
            run = 0;
        }

        if (++run < Math.Max(1, readings))
        {
            return null;
        }

        run = 0;
        Active = observed;
        return observed;
    }

    public void Restore(LampClass active)
    {
        Active = active;
        run = 0;
    }

    public static FaultType? FaultOf(LampClass lampClass) => lampClass switch
    {
        LampClass.SingleLampsDark => FaultType.SingleLampsDark,
        LampClass.MastOutage => FaultType.MastOutage,
        LampClass.TotalDark => FaultType.TotalDark,
        _ => null,
    };

    public static LampClass? ClassOf(FaultType fault) => fault switch
    {
        FaultType.SingleLampsDark => LampClass.SingleLampsDark,
        FaultType.MastOutage => LampClass.MastOutage,
        FaultType.TotalDark => LampClass.TotalDark,
        _ => null,
    };
}
