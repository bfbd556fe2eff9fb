namespace Telemetry.Rules.Evaluation;

/// <summary>
/// A condition on a value with debounce and hysteresis: it becomes active after N consecutive readings past the trip
/// level and ends after N consecutive readings past the clear level. A reading between the two levels (inside the
/// band) keeps an active condition active and an inactive one inactive, and breaks either run, so a value that
/// oscillates around one level opens one ticket rather than one per crossing.
/// </summary>
internal sealed class DebouncedCondition
{
    private int run;

    public bool Active { get; private set; }

    /// <param name="pastTrip">The reading is beyond the trip level.</param>
    /// <param name="pastClear">The reading is beyond the clear level, on the healthy side.</param>
    /// <param name="readings">How many consecutive readings it takes (at least one).</param>
    public ConditionChange Observe(bool pastTrip, bool pastClear, int readings)
    {
        var needed = Math.Max(1, readings);
        if (Active ? !pastClear : !pastTrip)
        {
            run = 0;
            return ConditionChange.None;
        }

        if (++run < needed)
        {
            return ConditionChange.None;
        }

        run = 0;
        Active = !Active;
        return Active ? ConditionChange.Detected : ConditionChange.Cleared;
    }

    /// <summary>Marks the condition active without a transition (an open ticket found at start).</summary>
    public void Restore()
    {
        Active = true;
        run = 0;
    }
}
