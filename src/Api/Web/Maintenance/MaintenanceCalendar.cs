using System.Security.Claims;
using Telemetry.Api.Access;
using Telemetry.Api.Plant;
using Telemetry.Api.WorkOrders;
using Telemetry.Maintenance.WorkOrders;

namespace Telemetry.Api.Web.Maintenance;

/// <summary>How a step on a work order from the calendar ended: the work order as it is now, or why not.</summary>
/// <param name="Order">The work order after the step; null when refused.</param>
/// <param name="Refusal">What the calendar says when refused: a key of <see cref="MaintenanceText"/>.</param>
/// <param name="Problems">The work order's own reasons (an item unanswered, a reading missing), shown beside the refusal.</param>
/// <param name="Tickets">The fault tickets the entered readings opened or counted on.</param>
public sealed record CalendarStep(WorkOrderView? Order, string? Refusal, IReadOnlyList<string> Problems, IReadOnlyList<string> Tickets);

/// <summary>
/// The work orders of the maintenance calendar for a user, with the Api's own rules: a crew member sees and works its
/// own crews' work orders only (<see cref="Policies.CrewScope"/>); operators declare extreme weather.
/// </summary>
public sealed class MaintenanceCalendar(IWorkOrderStore store, WorkOrderCompletion completion, ApiPlant plant, TimeProvider clock)
{
    /// <summary>The work orders due from <paramref name="from"/> to <paramref name="to"/> that the user may see, by due day.</summary>
    public async Task<IReadOnlyList<WorkOrderView>> DueBetweenAsync(ClaimsPrincipal user, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var crews = Policies.CrewScope(user);
        if (crews is { Count: 0 })
        {
            return [];
        }

        var found = new List<WorkOrder>();
        foreach (var crew in crews is null ? [null] : crews.Order(StringComparer.Ordinal).Cast<string?>())
        {
            found.AddRange(await store.ListAsync(new WorkOrderQuery { Crew = crew, DueFrom = from, DueTo = to, Limit = WorkOrderQuery.MaxLimit }, cancellationToken));
        }

        return [.. found.OrderBy(o => o.DueDate).ThenBy(o => o.Number.ToString(), StringComparer.Ordinal).Select(o => WorkOrderView.From(o, now))];
    }

    /// <summary>Today in the time zone of the plant's first site (the calendar's days are site-local days).</summary>
    public DateOnly Today => plant.Sites.Count > 0 ? MaintenancePlan.LocalDay(plant.Sites[0], clock.GetUtcNow()) : DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    /// <summary>The sites an operator may declare extreme weather for.</summary>
    public IReadOnlyList<string> Sites => [.. plant.Sites.Select(s => s.Id)];

    public Task<CalendarStep> StartAsync(ClaimsPrincipal user, string number, CancellationToken cancellationToken) =>
        StepAsync(user, number, async order => WorkOrderView.From(await store.ChangeAsync(order.Number, o => o.Start(Actor(user), clock.GetUtcNow()), cancellationToken), clock.GetUtcNow()), cancellationToken);

    public Task<CalendarStep> SkipAsync(ClaimsPrincipal user, string number, string reason, CancellationToken cancellationToken) =>
        StepAsync(user, number, async order => WorkOrderView.From(await store.ChangeAsync(order.Number, o => o.Skip(Actor(user), clock.GetUtcNow(), reason), cancellationToken), clock.GetUtcNow()), cancellationToken);

    public async Task<CalendarStep> CompleteAsync(ClaimsPrincipal user, string number, IReadOnlyDictionary<string, bool> checklist, IReadOnlyDictionary<string, double> readings, string? note, CancellationToken cancellationToken)
    {
        var tickets = new List<string>();
        var step = await StepAsync(user, number, async order =>
        {
            if (plant.FindSite(order.Site) is not { } site)
            {
                throw new WorkOrderInputException(order.Number, [$"site {order.Site} is in no site file"]);
            }

            var done = await completion.CompleteAsync(order.Number, Actor(user), checklist, readings, note, site, cancellationToken);
            tickets.AddRange(done.Tickets.Select(t => t.Ticket.Number.ToString()));
            return WorkOrderView.From(done.WorkOrder, clock.GetUtcNow());
        }, cancellationToken);
        return step with { Tickets = tickets };
    }

    /// <summary>Orders the special patrols before extreme weather (operators); returns how many were new.</summary>
    public async Task<int> DeclareWeatherAsync(string site, DateOnly expected, string description, CancellationToken cancellationToken)
    {
        var known = plant.FindSite(site) ?? throw new ArgumentException($"no site {site}", nameof(site));
        var today = MaintenancePlan.LocalDay(known, clock.GetUtcNow());
        return (await store.AddAsync(MaintenancePlan.BeforeWeather(known, expected, today, description), clock.GetUtcNow(), cancellationToken)).Count;
    }

    private async Task<CalendarStep> StepAsync(ClaimsPrincipal user, string number, Func<WorkOrder, Task<WorkOrderView>> step, CancellationToken cancellationToken)
    {
        if (!WorkOrderNumber.TryParse(number, out var parsed) || await store.FindAsync(parsed, cancellationToken) is not { } order)
        {
            return new(null, "Refused.NotFound", [], []);
        }

        if (Policies.CrewScope(user) is { } crews && (order.Crew is null || !crews.Contains(order.Crew)))
        {
            return new(null, "Refused.NotYours", [], []);
        }

        try
        {
            return new(await step(order), null, [], []);
        }
        catch (WorkOrderLifecycleException)
        {
            return new(null, "Refused.Changed", [], []);
        }
        catch (WorkOrderInputException input)
        {
            return new(null, "Refused.Input", input.Problems, []);
        }
    }

    private static string Actor(ClaimsPrincipal user) => user.Identity?.Name ?? "unknown";
}
