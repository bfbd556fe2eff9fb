using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Telemetry.Api.Access;
using Telemetry.Api.Plant;
using Telemetry.Maintenance.Storage;
using Telemetry.Maintenance.WorkOrders;

namespace Telemetry.Api.WorkOrders;

/// <summary>
/// <c>/api/work-orders</c>: planned maintenance for operators, crews and engineers. Crews see and work their own crews'
/// work orders only; engineers change the intervals; operators declare extreme weather, which orders special patrols.
/// </summary>
public static class WorkOrderEndpoints
{
    /// <summary>The largest action body: a completion with every checklist note and reading is well under 16 KiB.</summary>
    public const long MaxBody = 16 * 1024;

    public static IServiceCollection AddWorkOrders(this IServiceCollection services)
    {
        services.AddSingleton<IWorkOrderStore>(sp => new SqliteWorkOrderStore(sp.GetRequiredService<SqliteDatabase>()));
        services.AddSingleton<IMaintenanceIntervalStore>(sp => new SqliteMaintenanceIntervalStore(sp.GetRequiredService<SqliteDatabase>()));
        services.AddSingleton<WorkOrderCompletion>();
        services.AddSingleton<IntervalChanges>();
        return services;
    }

    public static IEndpointRouteBuilder MapWorkOrders(this IEndpointRouteBuilder endpoints)
    {
        var orders = endpoints.MapGroup("/api/work-orders").WithTags("Work orders")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        orders.MapGet("/", ListAsync).RequireAuthorization(Policies.ReadWorkOrders)
            .WithName("ListWorkOrders")
            .WithSummary("Planned maintenance work orders by due day, filtered by site, crew, status (or overdue) and due days.");
        orders.MapGet("/intervals", IntervalsAsync).RequireAuthorization(Policies.ReadWorkOrders)
            .WithName("ListMaintenanceIntervals")
            .WithSummary("The interval in force of every recurring maintenance task, with its last change.");
        orders.MapPut("/intervals/{task}", SetIntervalAsync).RequireAuthorization(Policies.ChangeIntervals)
            .WithMetadata(new RequestSizeLimitAttribute(MaxBody))
            .WithName("SetMaintenanceInterval")
            .WithSummary("Sets how often a task falls due (engineers), with a reason; kept in the interval history.");
        orders.MapPost("/extreme-weather", DeclareWeatherAsync).RequireAuthorization(Policies.DeclareWeather)
            .WithMetadata(new RequestSizeLimitAttribute(MaxBody))
            .WithName("DeclareExtremeWeather")
            .WithSummary("Declares extreme weather expected at a site (operators): a special patrol of every mast and street controller, due the day before.");
        orders.MapGet("/{number}", GetAsync).RequireAuthorization(Policies.ReadWorkOrders)
            .WithName("GetWorkOrder")
            .WithSummary("One work order with its checklist, readings and report due day.");
        orders.MapPost("/{number}/start", StartAsync).RequireAuthorization(Policies.WorkWorkOrders)
            .WithName("StartWorkOrder")
            .WithSummary("The crew starts the work.");
        orders.MapPost("/{number}/complete", CompleteAsync).RequireAuthorization(Policies.WorkWorkOrders)
            .WithMetadata(new RequestSizeLimitAttribute(MaxBody))
            .WithName("CompleteWorkOrder")
            .WithSummary("The crew finishes the work with every checklist item answered and the task's readings; a reading past its fault limit opens the fault ticket.");
        orders.MapPost("/{number}/skip", SkipAsync).RequireAuthorization(Policies.WorkWorkOrders)
            .WithMetadata(new RequestSizeLimitAttribute(MaxBody))
            .WithName("SkipWorkOrder")
            .WithSummary("The work is not done, with a reason.");
        return endpoints;
    }

    /// <summary>The handler of <c>GET /api/work-orders</c>.</summary>
    public static async Task<Results<Ok<WorkOrderPage>, ProblemHttpResult>> ListAsync(
        ClaimsPrincipal user,
        IWorkOrderStore store,
        TimeProvider clock,
        CancellationToken cancellationToken,
        [FromQuery] string? site = null,
        [FromQuery] string? crew = null,
        [FromQuery] string? status = null,
        [FromQuery] string? task = null,
        [FromQuery(Name = "due_from")] DateOnly? dueFrom = null,
        [FromQuery(Name = "due_to")] DateOnly? dueTo = null,
        [FromQuery] int limit = 500,
        [FromQuery] int offset = 0)
    {
        var problems = new Dictionary<string, string[]>();
        var now = clock.GetUtcNow();
        var query = new WorkOrderQuery { Site = site, Crew = crew, DueFrom = dueFrom, DueTo = dueTo, Limit = limit, Offset = offset };
        if (status == "overdue")
        {
            query = query with { OverdueAt = now };
        }
        else if (status is not null)
        {
            var statuses = new List<WorkOrderStatus>();
            foreach (var name in status.Split(',', StringSplitOptions.TrimEntries))
            {
                if (WorkOrderStatuses.TryParse(name, out var parsed))
                {
                    statuses.Add(parsed);
                }
                else
                {
                    problems["status"] = [$"'{name}' is none of planned, in_progress, done, skipped, overdue"];
                }
            }

            query = query with { Statuses = statuses };
        }

        if (task is not null)
        {
            if (MaintenanceTasks.TryParse(task, out var parsedTask))
            {
                query = query with { Task = parsedTask };
            }
            else
            {
                problems["task"] = [$"'{task}' is not a maintenance task"];
            }
        }

        if (limit is < 1 or > WorkOrderQuery.MaxLimit)
        {
            problems["limit"] = [string.Create(CultureInfo.InvariantCulture, $"must be 1 to {WorkOrderQuery.MaxLimit}")];
        }

        if (offset < 0)
        {
            problems["offset"] = ["must not be negative"];
        }

        if (dueFrom > dueTo)
        {
            problems["due_to"] = ["must not be before due_from"];
        }

        if (problems.Count > 0)
        {
            return TypedResults.Problem(new HttpValidationProblemDetails(problems) { Title = "The work order query is invalid", Status = StatusCodes.Status400BadRequest });
        }

        // A crew member sees its own crews' work orders: the crew filter is theirs, or theirs when they have one crew.
        if (Policies.CrewScope(user) is { } crews)
        {
            if (query.Crew is { } asked ? !crews.Contains(asked) : crews.Count != 1)
            {
                return query.Crew is null
                    ? TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { ["crew"] = [$"name one of your crews: {string.Join(", ", crews.Order(StringComparer.Ordinal))}"] })
                    {
                        Title = "The work order query is invalid",
                        Status = StatusCodes.Status400BadRequest,
                    })
                    : NotYourCrew($"You see the work orders of your own crews only, not of {query.Crew}");
            }

            query = query with { Crew = query.Crew ?? crews.Single() };
        }

        var found = await store.ListAsync(query, cancellationToken);
        return TypedResults.Ok(new WorkOrderPage([.. found.Select(o => WorkOrderView.From(o, now))], limit, offset));
    }

    /// <summary>The handler of <c>GET /api/work-orders/{number}</c>.</summary>
    public static async Task<Results<Ok<WorkOrderView>, ProblemHttpResult>> GetAsync(string number, ClaimsPrincipal user, IWorkOrderStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (order, problem) = await FindAsync(number, user, store, cancellationToken);
        return problem ?? (Results<Ok<WorkOrderView>, ProblemHttpResult>)TypedResults.Ok(WorkOrderView.From(order!, clock.GetUtcNow()));
    }

    private static Task<Results<Ok<WorkOrderView>, ProblemHttpResult>> StartAsync(string number, ClaimsPrincipal user, IWorkOrderStore store, TimeProvider clock, CancellationToken cancellationToken) =>
        ActAsync(number, user, store, clock, o => o.Start(Actor(user), clock.GetUtcNow()), cancellationToken);

    private static Task<Results<Ok<WorkOrderView>, ProblemHttpResult>> SkipAsync(string number, SkipBody body, ClaimsPrincipal user, IWorkOrderStore store, TimeProvider clock, CancellationToken cancellationToken) =>
        ActAsync(number, user, store, clock, o => o.Skip(Actor(user), clock.GetUtcNow(), body?.Reason ?? ""), cancellationToken);

    private static async Task<Results<Ok<CompletedWorkOrderView>, ProblemHttpResult>> CompleteAsync(
        string number, CompleteBody body, ClaimsPrincipal user, IWorkOrderStore store, WorkOrderCompletion completion, ApiPlant plant, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (order, problem) = await FindAsync(number, user, store, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (plant.FindSite(order!.Site) is not { } site)
        {
            return TypedResults.Problem(title: "Unknown site", detail: $"Site {order.Site} of work order {order.Number} is in no site file the Api loaded", statusCode: StatusCodes.Status409Conflict);
        }

        try
        {
            var done = await completion.CompleteAsync(order.Number, Actor(user), body?.Checklist ?? [], body?.Readings ?? [], body?.Note, site, cancellationToken);
            return TypedResults.Ok(new CompletedWorkOrderView(WorkOrderView.From(done.WorkOrder, clock.GetUtcNow()), [.. done.Tickets.Select(t => t.Ticket.Number.ToString())]));
        }
        catch (Exception ex) when (Refusal(ex) is { } refusal)
        {
            return refusal;
        }
    }

    private static async Task<Ok<IReadOnlyList<IntervalView>>> IntervalsAsync(IntervalChanges intervals, CancellationToken cancellationToken) =>
        TypedResults.Ok(await intervals.InForceAsync(cancellationToken));

    private static async Task<Results<Ok<IntervalView>, ProblemHttpResult>> SetIntervalAsync(
        string task, IntervalBody body, ClaimsPrincipal user, IntervalChanges intervals, CancellationToken cancellationToken)
    {
        var outcome = await intervals.ApplyAsync(task, body, Actor(user), cancellationToken);
        if (outcome.UnknownTask)
        {
            return TypedResults.Problem(title: "No such task", detail: $"'{task}' is not a maintenance task", statusCode: StatusCodes.Status404NotFound);
        }

        return outcome.Applied is { } applied
            ? TypedResults.Ok(applied)
            : TypedResults.Problem(new HttpValidationProblemDetails(outcome.Problems.ToDictionary()) { Title = "The interval is invalid", Status = StatusCodes.Status400BadRequest });
    }

    private static async Task<Results<Ok<WorkOrderPage>, ProblemHttpResult>> DeclareWeatherAsync(
        ExtremeWeatherBody body, IWorkOrderStore store, ApiPlant plant, TimeProvider clock, CancellationToken cancellationToken)
    {
        var problems = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(body?.Site))
        {
            problems["site"] = ["required: the site the weather is expected at"];
        }

        if (body?.Expected is null)
        {
            problems["expected"] = ["required: the day (yyyy-MM-dd) the weather is expected"];
        }

        if (string.IsNullOrWhiteSpace(body?.Description) || body.Description.Length > 500)
        {
            problems["description"] = ["required, at most 500 characters"];
        }

        if (problems.Count > 0)
        {
            return TypedResults.Problem(new HttpValidationProblemDetails(problems) { Title = "The weather declaration is invalid", Status = StatusCodes.Status400BadRequest });
        }

        // Well formed, but not for this plant or not now.
        var now = clock.GetUtcNow();
        if (plant.FindSite(body!.Site!) is not { } site)
        {
            return TypedResults.Problem(title: "Unknown site", detail: $"'{body.Site}' is no site of the plant", statusCode: StatusCodes.Status422UnprocessableEntity);
        }

        var today = MaintenancePlan.LocalDay(site, now);
        if (body.Expected!.Value < today || body.Expected.Value > today.AddDays(30))
        {
            return TypedResults.Problem(title: "Not a coming day", detail: $"the weather must be expected today ({today:yyyy-MM-dd}) or within the next 30 days", statusCode: StatusCodes.Status422UnprocessableEntity);
        }

        var added = await store.AddAsync(MaintenancePlan.BeforeWeather(site, body.Expected.Value, today, body.Description!), now, cancellationToken);
        return TypedResults.Ok(new WorkOrderPage([.. added.Select(o => WorkOrderView.From(o, now))], added.Count, 0));
    }

    private static async Task<Results<Ok<WorkOrderView>, ProblemHttpResult>> ActAsync(
        string number, ClaimsPrincipal user, IWorkOrderStore store, TimeProvider clock, Action<WorkOrder> change, CancellationToken cancellationToken)
    {
        var (order, problem) = await FindAsync(number, user, store, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        try
        {
            return TypedResults.Ok(WorkOrderView.From(await store.ChangeAsync(order!.Number, change, cancellationToken), clock.GetUtcNow()));
        }
        catch (Exception ex) when (Refusal(ex) is { } refusal)
        {
            return refusal;
        }
    }

    private static async Task<(WorkOrder? Order, ProblemHttpResult? Problem)> FindAsync(string number, ClaimsPrincipal user, IWorkOrderStore store, CancellationToken cancellationToken)
    {
        if (!WorkOrderNumber.TryParse(number, out var parsed))
        {
            return (null, TypedResults.Problem(title: "Not a work order number", detail: $"'{number}' is not a work order number such as PM2703-0042", statusCode: StatusCodes.Status400BadRequest));
        }

        var order = await store.FindAsync(parsed, cancellationToken);
        if (order is null)
        {
            return (null, TypedResults.Problem(title: "No such work order", detail: $"There is no work order {parsed}", statusCode: StatusCodes.Status404NotFound));
        }

        if (Policies.CrewScope(user) is { } crews && (order.Crew is null || !crews.Contains(order.Crew)))
        {
            return (null, NotYourCrew($"Work order {parsed} is not one of your crews'"));
        }

        return (order, null);
    }

    private static ProblemHttpResult? Refusal(Exception exception) => exception switch
    {
        WorkOrderLifecycleException refused => TypedResults.Problem(title: "Not allowed now", detail: refused.Message, statusCode: StatusCodes.Status409Conflict),
        WorkOrderInputException input => TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { ["body"] = [.. input.Problems] })
        {
            Title = "The work order cannot take this",
            Status = StatusCodes.Status422UnprocessableEntity,
        }),
        WorkOrderNotFoundException missing => TypedResults.Problem(title: "No such work order", detail: missing.Message, statusCode: StatusCodes.Status404NotFound),
        _ => null,
    };

    private static ProblemHttpResult NotYourCrew(string detail) => TypedResults.Problem(title: "Not your crew", detail: detail, statusCode: StatusCodes.Status403Forbidden);

    private static string Actor(ClaimsPrincipal user) => user.Identity?.Name ?? "unknown";
}
