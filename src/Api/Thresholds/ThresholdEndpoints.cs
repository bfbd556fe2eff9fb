using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Telemetry.Api.Access;
using Telemetry.Api.Plant;
using Telemetry.Api.Requests;
using Telemetry.Contracts;
using Telemetry.InfluxDb;
using Telemetry.Maintenance.Thresholds;
using Telemetry.Rules.Evaluation;

namespace Telemetry.Api.Thresholds;

/// <summary>
/// <c>/api/thresholds</c>: the rule parameters engineers tune, where each value comes from, changes with a reason and
/// their history, and the backtest of a proposal against stored readings.
/// </summary>
public static class ThresholdEndpoints
{
    /// <summary>The largest change or backtest body: a few proposed values and a reason are well under this.</summary>
    public const long MaxBody = 16 * 1024;

    public const int MaxHistoryLimit = 500;

    public static IEndpointRouteBuilder MapThresholds(this IEndpointRouteBuilder endpoints)
    {
        var thresholds = endpoints.MapGroup("/api/thresholds").WithTags("Thresholds");
        thresholds.MapGet("/", GetAsync).RequireAuthorization(Policies.ReadSettings).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("The threshold catalogue (unit, range, default, the rules and faults that use each) with the values set per scope; with ?site=&device= or ?family= each parameter's effective value there and where it comes from.");
        thresholds.MapGet("/history", HistoryAsync).RequireAuthorization(Policies.ReadSettings)
            .WithSummary("Threshold changes, newest first: author, time, reason, old and new value; filtered by parameter and scope, paged with ?before=.");
        thresholds.MapPost("/changes", ChangeAsync).RequireAuthorization(Policies.ChangeThresholds).Accepts<ThresholdChangeRequest>("application/json")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Sets a parameter at a scope, or removes the override there (value null), with a reason; 409 when based_on_version is stale. Rules applies it within a second.");
        thresholds.MapPost("/backtest", BacktestAsync).RequireAuthorization(Policies.ChangeThresholds).Accepts<BacktestRequest>("application/json")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithSummary("Replays the stored readings of the devices a proposal affects (at most 31 days, 200 devices) with the thresholds in force and with the proposal; writes nothing.");
        return endpoints;
    }

    /// <summary>The handler of <c>GET /api/thresholds</c>.</summary>
    public static async Task<Results<Ok<ThresholdsView>, ProblemHttpResult>> GetAsync(
        IThresholdStore store,
        RuleSet rules,
        ApiPlant plant,
        CancellationToken cancellationToken,
        [FromQuery] string? site = null,
        [FromQuery] string? device = null,
        [FromQuery] string? family = null)
    {
        var problems = new Dictionary<string, string[]>(StringComparer.Ordinal);
        DeviceFamily? parsedFamily = null;
        if (site is not null && !Identifiers.IsValid(site))
        {
            problems["site"] = [$"must be a site id: {Identifiers.Rule}"];
        }

        if (device is not null && !Identifiers.IsValid(device))
        {
            problems["device"] = [$"must be a device id: {Identifiers.Rule}"];
        }
        else if (device is not null && site is null)
        {
            problems["site"] = ["name the site of the device"];
        }

        if (family is not null)
        {
            if (DeviceFamilyNames.TryParse(family, out var known))
            {
                parsedFamily = known;
            }
            else
            {
                problems["family"] = [$"must be one of {string.Join(", ", Enum.GetValues<DeviceFamily>().Select(f => f.ToContractName()))}"];
            }
        }

        if (problems.Count > 0)
        {
            return Invalid(problems, "The threshold query is invalid");
        }

        if (device is not null)
        {
            var found = plant.Find(site!, device);
            if (found is null)
            {
                return TypedResults.Problem(title: "No such device", detail: $"No site file lists device '{device}' at site '{site}'", statusCode: StatusCodes.Status404NotFound);
            }

            if (parsedFamily is { } asked && asked != found.Device.Family)
            {
                return Invalid(new() { ["family"] = [$"device {site}/{device} is a {found.Device.Family.ToContractName()}, not a {family}"] }, "The threshold query is invalid");
            }

            parsedFamily = found.Device.Family;
        }

        return TypedResults.Ok(await ThresholdReader.ReadAsync(store, rules, site, device, parsedFamily, cancellationToken));
    }

    /// <summary>The handler of <c>GET /api/thresholds/history</c>.</summary>
    public static async Task<Results<Ok<ThresholdHistoryPage>, ProblemHttpResult>> HistoryAsync(
        IThresholdStore store,
        CancellationToken cancellationToken,
        [FromQuery] string? parameter = null,
        [FromQuery] string? scope = null,
        [FromQuery] string? limit = null,
        [FromQuery] string? before = null)
    {
        var problems = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (parameter is not null && (parameter.Length is 0 or > 100 || !parameter.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '.')))
        {
            problems["parameter"] = ["must be a parameter name such as lamps.outage_ratio"];
        }

        var parsedScope = scope is null ? null : ThresholdScope.TryParse(scope);
        if (scope is not null && parsedScope is null)
        {
            problems["scope"] = ["must be global, family:<family>, site:<site> or device:<site>/<device>"];
        }

        var (pageSize, beforeVersion) = HistoryPaging.Read(limit, before, MaxHistoryLimit, problems);
        if (problems.Count > 0)
        {
            return Invalid(problems, "The history query is invalid");
        }

        var rows = await store.HistoryAsync(parameter, parsedScope, pageSize, cancellationToken, beforeVersion);
        return TypedResults.Ok(new ThresholdHistoryPage([.. rows.Select(ThresholdChangeView.From)], rows.Count == pageSize ? rows[^1].Version : null));
    }

    /// <summary>The handler of <c>POST /api/thresholds/changes</c>.</summary>
    public static async Task<Results<Created<ThresholdChangeView>, ProblemHttpResult>> ChangeAsync(
        HttpRequest request,
        ClaimsPrincipal user,
        IThresholdStore store,
        CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync(request, MaxBody, cancellationToken);
        body.AllowOnly("parameter", "scope", "value", "reason", "based_on_version");
        var (parameter, scope) = Target(body, store.Catalogue);
        var value = body.Number("value", required: false);
        if (!body.Has("value"))
        {
            body.Add("value", "is required: a number to set, or null to remove the override at the scope");
        }

        var reason = body.String("reason", required: true, ThresholdChange.MaxReasonLength);
        var basedOn = body.Integer("based_on_version", required: false, 0, long.MaxValue);
        if (!body.IsValid)
        {
            return body.Problem("The threshold change is invalid");
        }

        try
        {
            var applied = await store.ApplyAsync(new ThresholdChange(parameter!.Name, scope!.Key, value, user.Identity!.Name!, reason!, basedOn), cancellationToken);
            return TypedResults.Created(
                string.Create(CultureInfo.InvariantCulture, $"/api/thresholds/history?parameter={parameter.Name}&scope={Uri.EscapeDataString(scope.Key)}"),
                ThresholdChangeView.From(applied));
        }
        catch (ThresholdValidationException ex)
        {
            // The fields themselves were checked above: what the store refuses is the value against the settings in force.
            foreach (var problem in ex.Problems)
            {
                body.Add(problem.Message.StartsWith("reason", StringComparison.Ordinal) ? "reason" : problem.Message.StartsWith("author", StringComparison.Ordinal) ? "author" : "value", problem.Message);
            }

            return body.Problem("The threshold change is refused");
        }
        catch (ThresholdConflictException ex)
        {
            return TypedResults.Problem(
                title: "The thresholds changed since",
                detail: ex.Message,
                statusCode: StatusCodes.Status409Conflict,
                extensions: new Dictionary<string, object?>
                {
                    ["current_version"] = ex.CurrentVersion,
                    ["changes_since"] = ex.ChangesSince.Select(ThresholdChangeView.From).ToList(),
                });
        }
    }

    /// <summary>The handler of <c>POST /api/thresholds/backtest</c>.</summary>
    public static async Task<Results<Ok<BacktestResult>, ProblemHttpResult>> BacktestAsync(
        HttpRequest request,
        IThresholdStore store,
        ThresholdBacktest backtest,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync(request, MaxBody, cancellationToken);
        body.AllowOnly("changes", "from", "to");
        var proposals = new List<ProposedThreshold>();
        foreach (var item in body.Objects("changes", 1, ThresholdBacktest.MaxChanges))
        {
            item.AllowOnly("parameter", "scope", "value");
            var (parameter, scope) = Target(item, store.Catalogue);
            var value = item.Number("value", required: false);
            if (!item.Has("value"))
            {
                item.Add("value", "is required: a number, or null to propose removing the override at the scope");
            }

            if (parameter is not null && value is { } v && (v < parameter.Minimum || v > parameter.Maximum || (parameter.WholeNumber && v != Math.Floor(v))))
            {
                item.Add("value", string.Create(CultureInfo.InvariantCulture, $"must be {(parameter.WholeNumber ? "a whole number " : "")}from {parameter.Minimum} to {parameter.Maximum} {parameter.Unit}").TrimEnd());
            }

            if (parameter is not null && scope is not null && value is null && scope.Level == ScopeLevel.Global && item.Has("value"))
            {
                item.Add("value", "the global value cannot be removed, only set");
            }

            if (parameter is not null && scope is not null)
            {
                proposals.Add(new ProposedThreshold(parameter, scope, value));
            }
        }

        var from = body.Time("from", required: true);
        var to = body.Time("to", required: true);
        if (from is { } start && to is { } end)
        {
            if (end <= start)
            {
                body.Add("to", "must be after from");
            }
            else if (end - start > ThresholdBacktest.MaxRange)
            {
                body.Add("to", string.Create(CultureInfo.InvariantCulture, $"must be at most {ThresholdBacktest.MaxRange.TotalDays:0} days after from"));
            }

            if (start > clock.GetUtcNow())
            {
                body.Add("from", "must not be in the future: a backtest replays what was stored");
            }
        }

        if (!body.IsValid)
        {
            return body.Problem("The backtest is invalid");
        }

        try
        {
            return TypedResults.Ok(await backtest.RunAsync(proposals, from!.Value, to!.Value, cancellationToken));
        }
        catch (BacktestTooLargeException ex)
        {
            body.Add(ex.Field, ex.Message);
            return body.Problem("The backtest is too large");
        }
        catch (InvalidOperationException) when (!backtest.CanReplay)
        {
            return TypedResults.Problem(title: "Stored readings are not available", detail: "The Api has no InfluxDB configured (Influx:Url), so nothing can be replayed",
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        catch (InfluxQueryException ex)
        {
            return TypedResults.Problem(title: "Stored readings could not be read", detail: ex.Message, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    /// <summary>The parameter and scope fields of a change or a proposal, each checked and named.</summary>
    private static (ThresholdParameter? Parameter, ThresholdScope? Scope) Target(JsonBody body, ThresholdCatalogue catalogue)
    {
        var name = body.String("parameter", required: true, 100);
        var parameter = catalogue.Find(name);
        if (name is not null && parameter is null)
        {
            body.Add("parameter", "is not a threshold parameter: GET /api/thresholds lists them");
        }

        var key = body.String("scope", required: true, 200);
        var scope = ThresholdScope.TryParse(key);
        if (key is not null && scope is null)
        {
            body.Add("scope", "must be global, family:<family>, site:<site> or device:<site>/<device>");
        }

        return (parameter, scope);
    }

    private static ProblemHttpResult Invalid(Dictionary<string, string[]> problems, string title) =>
        TypedResults.Problem(new HttpValidationProblemDetails(problems) { Title = title, Status = StatusCodes.Status400BadRequest });
}
