using System.Text.Json.Serialization;
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
    [JsonInclude]
    public LampClass Active { get; private set; }

    /// <summary>The class being counted towards replacing the active one.</summary>
    [JsonInclude]
    public LampClass Candidate { get; private set; }

    [JsonInclude]
    public int Run { get; private set; }

    /// <summary>The class the last evaluated reading showed (before debounce), which decides what is healthy to learn from.</summary>
    public LampClass LastObserved { get; set; }

    /// <summary>True when the last reading evaluated for lamps could say how many were lit.</summary>
    public bool LastObservedKnown { get; set; }

    /// <summary>The class this observation confirmed as the new active one, or null when the active class stands.</summary>
    public LampClass? Observe(LampClass observed, int readings)
    {
        if (observed == Active)
        {
            Run = 0;
            return null;
        }

        if (observed != Candidate)
        {
            Candidate = observed;
            Run = 0;
        }

        if (++Run < Math.Max(1, readings))
        {
            return null;
        }

        Run = 0;
        Active = observed;
        return observed;
    }

    /// <summary>Sets the active class to what the tickets say at start, without a transition.</summary>
    public void Reconcile(LampClass active)
    {
        if (Active != active)
        {
            Active = active;
            Run = 0;
        }
    }

    public static FaultType? FaultOf(LampClass lampClass) => lampClass switch
    {
        LampClass.SingleLampsDark => FaultType.SingleLampsDark,
        LampClass.MastOutage => FaultType.MastOutage,
        LampClass.TotalDark => FaultType.TotalDark,
        _ => null,
    };
}
