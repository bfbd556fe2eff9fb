using System.Text.Json.Serialization;

namespace Telemetry.Rules.Evaluation;

/// <summary>
/// A condition that must hold for a duration before it counts (a door open for five minutes, lamps lit by daylight
/// for ten), and ends on the first observation that it no longer holds.
/// </summary>
internal sealed class HeldCondition
{
    [JsonInclude]
    public bool Active { get; private set; }

    /// <summary>When the condition was first seen holding in the current run, or null when it does not hold.</summary>
    [JsonInclude]
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

    /// <summary>Sets the condition to what the tickets say at start (active when its ticket is open), without a transition.</summary>
    public void Reconcile(bool active) => Active = active;
}
