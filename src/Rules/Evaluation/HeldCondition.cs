namespace Telemetry.Rules.Evaluation;

/// <summary>
/// A condition that must hold for a duration before it counts (a door open for five minutes, lamps lit by daylight
/// for ten), and ends on the first observation that it no longer holds.
/// </summary>
internal sealed class HeldCondition
{
    public bool Active { get; private set; }

    /// <summary>When the condition was first seen holding in the current run, or null when it does not hold.</summary>
    public DateTimeOffset? Since { get; private set; }

    /// <summary>An observation at <paramref name="at"/>: the condition holds or not.</summary>
    public ConditionChange Observe(bool holds, DateTimeOffset at, TimeSpan limit)
    {
        if (!holds)
        {
            Since = null;
            if (!Active)
            {
                return ConditionChange.None;
            }

            Active = false;
            return ConditionChange.Cleared;
        }

        Since ??= at;
        return Check(at, limit);
    }

    /// <summary>Time passing without an observation: the condition may reach its limit with nothing read.</summary>
    public ConditionChange Check(DateTimeOffset now, TimeSpan limit)
    {
        if (Active || Since is not { } since || now - since < limit)
        {
            return ConditionChange.None;
        }

        Active = true;
        return ConditionChange.Detected;
    }

    /// <summary>Marks the condition active without a transition (an open ticket found at start).</summary>
    public void Restore() => Active = true;

    /// <summary>Carries over when the condition began from before a restart.</summary>
    public void RestoreSince(DateTimeOffset since) => Since ??= since;
}
