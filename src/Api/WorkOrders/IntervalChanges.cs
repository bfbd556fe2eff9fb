using Telemetry.Maintenance.WorkOrders;

namespace Telemetry.Api.WorkOrders;

/// <summary>The outcome of an interval change: the interval now in force, or the problems per field (<c>times</c>, <c>per</c>, <c>reason</c>), or an unknown task.</summary>
public sealed record IntervalChangeOutcome(IntervalView? Applied, IReadOnlyDictionary<string, string[]> Problems, bool UnknownTask);

/// <summary>
/// Reads and changes the intervals of the recurring maintenance tasks, for <c>/api/work-orders/intervals</c> and the engineers'
/// intervals page alike: one set of checks, one history.
/// </summary>
public sealed class IntervalChanges(IMaintenanceIntervalStore store, TimeProvider clock)
{
    /// <summary>The longest reason kept with a change.</summary>
    public const int MaxReason = 500;

    /// <summary>The interval in force of every recurring task, with its last change.</summary>
    public async Task<IReadOnlyList<IntervalView>> InForceAsync(CancellationToken cancellationToken)
    {
        var inForce = await store.LoadAsync(cancellationToken);
        var history = await store.HistoryAsync(null, 1000, cancellationToken);
        return [.. MaintenanceTasks.Recurring.Select(t =>
        {
            var last = history.FirstOrDefault(c => c.Task == t);
            return new IntervalView(t.ToName(), inForce[t].Times, Name(inForce[t].Per), last?.Version, last?.Actor, last?.At, last?.Reason);
        })];
    }

    /// <summary>The changes, newest first.</summary>
    public async Task<IReadOnlyList<IntervalView>> HistoryAsync(int limit, CancellationToken cancellationToken)
    {
        var history = await store.HistoryAsync(null, limit, cancellationToken);
        return [.. history.Select(c => new IntervalView(c.Task.ToName(), c.Interval.Times, Name(c.Interval.Per), c.Version, c.Actor, c.At, c.Reason))];
    }

    /// <summary>Checks and applies a change of <paramref name="task"/> by <paramref name="actor"/>.</summary>
    public async Task<IntervalChangeOutcome> ApplyAsync(string task, IntervalBody? body, string actor, CancellationToken cancellationToken)
    {
        if (!MaintenanceTasks.TryParse(task, out var parsed))
        {
            return new IntervalChangeOutcome(null, new Dictionary<string, string[]>(), UnknownTask: true);
        }

        var problems = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (body?.Times is not { } times)
        {
            problems["times"] = ["required"];
            times = 0;
        }

        if (!Enum.TryParse<IntervalPeriod>(body?.Per, ignoreCase: true, out var per) || body!.Per!.Any(char.IsDigit))
        {
            problems["per"] = ["must be week, month or year"];
        }

        if (string.IsNullOrWhiteSpace(body?.Reason) || body.Reason.Length > MaxReason)
        {
            problems["reason"] = [$"required, at most {MaxReason} characters"];
        }

        if (problems.Count == 0)
        {
            try
            {
                var change = await store.ApplyAsync(parsed, new MaintenanceInterval(times, per), actor, body!.Reason!.Trim(), clock.GetUtcNow(), cancellationToken);
                return new IntervalChangeOutcome(
                    new IntervalView(parsed.ToName(), times, Name(per), change.Version, change.Actor, change.At, change.Reason), problems, UnknownTask: false);
            }
            catch (MaintenanceIntervalException ex)
            {
                problems["times"] = [.. ex.Problems];
            }
        }

        return new IntervalChangeOutcome(null, problems, UnknownTask: false);
    }

    private static string Name(IntervalPeriod per) => per.ToString().ToLowerInvariant();
}
