using System.Text.Json.Serialization;

namespace Telemetry.Rules.Evaluation;

/// <summary>
/// A condition on a value with debounce and hysteresis: it becomes active after N consecutive readings past the trip
/// level and ends after N consecutive readings past the clear level. A reading between the two levels (inside the
/// band) keeps an active condition active and an inactive one inactive, and breaks either run, so a value that
/// oscillates around one level opens one ticket rather than one per crossing.
/// </summary>
internal sealed class DebouncedCondition
{
    [JsonInclude]
    public bool Active { get; private set; }

    /// <summary>Consecutive readings so far towards the change.</summary>
    [JsonInclude]
    public int Run { get; private set; }

    /// <param name="pastTrip">The reading is beyond the trip level.</param>
    /// <param name="pastClear">The reading is beyond the clear level, on the healthy side.</param>
    /// <param name="readings">How many consecutive readings it takes (at least one).</param>
    public ConditionChange Observe(bool pastTrip, bool pastClear, int readings)
    {
        var needed = Math.Max(1, readings);
        if (Active ? !pastClear : !pastTrip)
        {
            Run = 0;
            return ConditionChange.None;
        }

        if (++Run < needed)
        {
            return ConditionChange.None;
        }

        Run = 0;
        Active = !Active;
        return Active ? ConditionChange.Detected : ConditionChange.Cleared;
    }

    /// <summary>Sets the condition to what the tickets say at start (active when its ticket is open), without a transition.</summary>
    public void Reconcile(bool active)
    {
        if (Active != active)
        {
            Active = active;
            Run = 0;
        }
    }
}
