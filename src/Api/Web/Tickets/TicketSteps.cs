using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Localization;
using Telemetry.Api.Access;
using Telemetry.Api.Tickets;
using Telemetry.Devices.Sites;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Tickets;

namespace Telemetry.Api.Web.Tickets;

/// <summary>The steps a person takes on a ticket from the web pages.</summary>
public enum WorkStep
{
    Acknowledge,
    Arrive,
    Resolve,
    Comment,
    Reassign,
    Close,
    Reopen,
    Regrade,
    Survey,
    ReturnVisit,
}

/// <summary>What a resolve form holds.</summary>
public sealed class ResolveInput
{
    public string? Cause { get; set; }

    public string? Action { get; set; }

    public List<string> Parts { get; } = [];

    /// <summary><c>hardware</c> or <c>software</c>.</summary>
    public string? Kind { get; set; }

    public string? Note { get; set; }
}

/// <summary>What a reassign form holds.</summary>
public sealed class ReassignInput
{
    public string? Crew { get; set; }

    /// <summary>The zone's JSON name; null keeps the ticket's.</summary>
    public string? Zone { get; set; }
}

/// <summary>What a survey form holds.</summary>
public sealed class SurveyInput
{
    public int? Satisfaction { get; set; }

    public string? Comment { get; set; }
}

/// <summary>What a regrade form holds.</summary>
public sealed class RegradeInput
{
    public int? Grade { get; set; }

    public string? Reason { get; set; }
}

/// <summary>
/// How a step ended: taken (the ticket as it is now), refused (why, in the user's language), not tried because a
/// field is wrong (each field's problem), or refused because the ticket changed since the user saw it.
/// </summary>
public sealed record StepOutcome(TicketView? Ticket, string? Refusal, bool Stale, IReadOnlyDictionary<string, string> Problems)
{
    public bool Taken => Ticket is not null;
}

/// <summary>
/// The ticket steps of the web pages: which ones the user's role and the ticket's state allow (the Api's policies),
/// the forms' field checks (the Api's limits), and the steps themselves through <see cref="Api.Tickets.TicketActions"/>
/// with the version the user saw, refusals said in the user's language.
/// </summary>
public sealed class TicketSteps(
    Api.Tickets.TicketActions actions,
    IAuthorizationService authorization,
    IStringLocalizer<TicketsText> text,
    IStringLocalizer<WebText> words,
    TimeProvider clock)
{
    private static readonly Dictionary<string, string> NoProblems = [];

    /// <summary>The policy each step needs, as the Api's endpoint of the same step.</summary>
    public static string PolicyOf(WorkStep step) => step switch
    {
        WorkStep.Acknowledge or WorkStep.Arrive or WorkStep.Resolve or WorkStep.ReturnVisit => Policies.WorkTickets,
        WorkStep.Comment => Policies.CommentOnTickets,
        WorkStep.Regrade => Policies.RegradeTickets,
        _ => Policies.DispatchTickets,
    };

    /// <summary>Whether the ticket's status lets the step be taken (the lifecycle's own rule).</summary>
    public static bool StateAllows(WorkStep step, string status) => step switch
    {
        WorkStep.Acknowledge => status == "open",
        WorkStep.Arrive => status == "acknowledged",
        WorkStep.Resolve => status is "acknowledged" or "on_site",
        WorkStep.Close => status == "resolved",
        WorkStep.Reopen or WorkStep.Survey or WorkStep.ReturnVisit => status == "closed",
        WorkStep.Reassign or WorkStep.Regrade => status is "open" or "acknowledged" or "on_site",
        _ => true,
    };

    /// <summary>The step a crew's list offers first on the ticket: acknowledge, arrive, then resolve; none once resolved.</summary>
    public static WorkStep? NextWorkStep(string status) => status switch
    {
        "open" => WorkStep.Acknowledge,
        "acknowledged" => WorkStep.Arrive,
        "on_site" => WorkStep.Resolve,
        _ => null,
    };

    /// <summary>The steps the user may take on the ticket now, in the order the page shows them.</summary>
    public async Task<IReadOnlyList<WorkStep>> AllowedAsync(ClaimsPrincipal user, TicketView ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var allowed = new List<WorkStep>();
        foreach (var step in Enum.GetValues<WorkStep>())
        {
            if (StateAllows(step, ticket.Status) && FollowUpAllows(step, ticket) && (await authorization.AuthorizeAsync(user, PolicyOf(step))).Succeeded)
            {
                allowed.Add(step);
            }
        }

        return allowed;
    }

    /// <summary>A survey or return visit only while the ticket owes it.</summary>
    public static bool FollowUpAllows(WorkStep step, TicketView ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return step switch
        {
            WorkStep.Survey => ticket.FollowUps.Any(f => f is { Open: true, Kind: "survey" }),
            WorkStep.ReturnVisit => ticket.FollowUps.Any(f => f is { Open: true, Kind: "return_visit" }),
            _ => true,
        };
    }

    public Task<StepOutcome> SurveyAsync(ClaimsPrincipal user, TicketView ticket, SurveyInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        var comment = Check(problems, "comment", input.Comment, required: false, ActionBody.MaxText);
        if (input.Satisfaction is not (>= FollowUp.LowestSatisfaction and <= FollowUp.HighestSatisfaction))
        {
            problems["satisfaction"] = text["Field.Required"];
        }

        return problems.Count > 0
            ? Task.FromResult(new StepOutcome(null, null, false, problems))
            : TakeAsync(user, ticket, WorkStep.Survey, "survey", (t, by) => t.RecordSurvey(input.Satisfaction!.Value, comment, by.Actor, by.At, by.Client), cancellationToken);
    }

    public Task<StepOutcome> ReturnVisitAsync(ClaimsPrincipal user, TicketView ticket, string? outcome, CancellationToken cancellationToken)
    {
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        var checkedOutcome = Check(problems, "outcome", outcome, required: true, ActionBody.MaxText);
        return problems.Count > 0
            ? Task.FromResult(new StepOutcome(null, null, false, problems))
            : TakeAsync(user, ticket, WorkStep.ReturnVisit, "return-visit", (t, by) => t.RecordReturnVisit(checkedOutcome!, by.Actor, by.At, by.Client), cancellationToken);
    }

    public Task<StepOutcome> AcknowledgeAsync(ClaimsPrincipal user, TicketView ticket, CancellationToken cancellationToken) =>
        TakeAsync(user, ticket, WorkStep.Acknowledge, "acknowledge", (t, by) => t.Acknowledge(by.Actor, by.At, by.Client), cancellationToken);

    public Task<StepOutcome> ArriveAsync(ClaimsPrincipal user, TicketView ticket, CancellationToken cancellationToken) =>
        TakeAsync(user, ticket, WorkStep.Arrive, "arrive", (t, by) => t.ArriveOnSite(by.Actor, by.At, by.Client), cancellationToken);

    public Task<StepOutcome> ResolveAsync(ClaimsPrincipal user, TicketView ticket, ResolveInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        var cause = Check(problems, "cause", input.Cause, required: true, ActionBody.MaxShortText);
        var action = Check(problems, "action", input.Action, required: true, ActionBody.MaxShortText);
        var note = Check(problems, "note", input.Note, required: false, ActionBody.MaxText);
        if (input.Kind is not ("hardware" or "software"))
        {
            problems["kind"] = text["Field.Required"];
        }

        if (input.Parts.Count > ActionBody.MaxParts)
        {
            problems["parts"] = text["Field.TooMany", ActionBody.MaxParts];
        }

        if (problems.Count > 0)
        {
            return Task.FromResult(new StepOutcome(null, null, false, problems));
        }

        var resolution = new Resolution(cause!, action!, [.. input.Parts], input.Kind == "hardware" ? RepairKind.Hardware : RepairKind.Software, note);
        return TakeAsync(user, ticket, WorkStep.Resolve, "resolve", (t, by) => t.Resolve(resolution, by.Actor, by.At, by.Client), cancellationToken);
    }

    /// <summary>Checks one part before it joins the list; null when it is fine.</summary>
    public string? CheckPart(string? part) =>
        string.IsNullOrWhiteSpace(part) ? text["Field.Required"].Value
        : part.Length > 100 ? text["Field.TooLong", 100].Value
        : part.Any(char.IsControl) ? text["Field.ControlCharacters"].Value
        : null;

    public Task<StepOutcome> CommentAsync(ClaimsPrincipal user, TicketView ticket, string? comment, CancellationToken cancellationToken)
    {
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        var checkedText = Check(problems, "text", comment, required: true, ActionBody.MaxText);
        return problems.Count > 0
            ? Task.FromResult(new StepOutcome(null, null, false, problems))
            : TakeAsync(user, ticket, WorkStep.Comment, "comment", (t, by) => t.Comment(checkedText!, by.Actor, by.At, by.Client), cancellationToken);
    }

    public Task<StepOutcome> CloseAsync(ClaimsPrincipal user, TicketView ticket, string? note, CancellationToken cancellationToken)
    {
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        var checkedNote = Check(problems, "note", note, required: true, ActionBody.MaxText);
        return problems.Count > 0
            ? Task.FromResult(new StepOutcome(null, null, false, problems))
            : TakeAsync(user, ticket, WorkStep.Close, "close", (t, by) => t.Close(by.Actor, by.At, checkedNote, by.Client), cancellationToken);
    }

    public Task<StepOutcome> ReopenAsync(ClaimsPrincipal user, TicketView ticket, string? reason, CancellationToken cancellationToken)
    {
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        var checkedReason = Check(problems, "reason", reason, required: true, ActionBody.MaxReason);
        return problems.Count > 0
            ? Task.FromResult(new StepOutcome(null, null, false, problems))
            : TakeAsync(user, ticket, WorkStep.Reopen, "reopen", (t, by) => t.Reopen(checkedReason!, by.Actor, by.At, by.Client), cancellationToken);
    }

    public Task<StepOutcome> ReassignAsync(ClaimsPrincipal user, TicketView ticket, ReassignInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!Contracts.Identifiers.IsValid(input.Crew))
        {
            problems["crew"] = text["Field.Required"];
        }

        CrewZone? zone = null;
        if (input.Zone is { Length: > 0 } named)
        {
            if (CrewZones.TryParse(named, out var parsed))
            {
                zone = parsed;
            }
            else
            {
                problems["zone"] = text["Field.Required"];
            }
        }

        var crew = input.Crew!;
        return problems.Count > 0
            ? Task.FromResult(new StepOutcome(null, null, false, problems))
            : TakeAsync(user, ticket, WorkStep.Reassign, "reassign", (t, by) => t.Reassign(crew, zone, by.Actor, by.At, by.Client), cancellationToken);
    }

    public Task<StepOutcome> RegradeAsync(ClaimsPrincipal user, TicketView ticket, RegradeInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        if (input.Grade is not (>= 1 and <= 4))
        {
            problems["grade"] = text["Field.Required"];
        }

        var reason = Check(problems, "reason", input.Reason, required: true, ActionBody.MaxReason);
        var grade = (FaultGrade)(input.Grade ?? 0);
        return problems.Count > 0
            ? Task.FromResult(new StepOutcome(null, null, false, problems))
            : TakeAsync(user, ticket, WorkStep.Regrade, "regrade", (t, by) => t.Regrade(grade, reason!, by.At, by.Actor, by.Client), cancellationToken);
    }

    private async Task<StepOutcome> TakeAsync(ClaimsPrincipal user, TicketView ticket, WorkStep step, string action, Api.Tickets.TicketChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(ticket);

        // The page shows only the steps the user may take; a step still refused here is the same refusal as the Api's.
        if (!(await authorization.AuthorizeAsync(user, PolicyOf(step))).Succeeded)
        {
            return new StepOutcome(null, text["Refusal.Other"], false, NoProblems);
        }

        var result = await actions.ChangeAsync(user, TicketNumber.Parse(ticket.Number, null), action, ticket.Version, change, cancellationToken);
        if (result.Ticket is { } changed)
        {
            return new StepOutcome(TicketView.From(changed, clock.GetUtcNow()), null, false, NoProblems);
        }

        var refusal = result.Refusal!;
        return refusal.Kind switch
        {
            TicketRefusalKind.Stale => new StepOutcome(null, text["Ticket.Changed"], true, NoProblems),
            TicketRefusalKind.NotYourCrew => new StepOutcome(null, text["Refusal.NotYourCrew"], false, NoProblems),
            TicketRefusalKind.NotFound => new StepOutcome(null, text["Refusal.NotFound"], false, NoProblems),
            TicketRefusalKind.NewerOpen => new StepOutcome(null, text["Refusal.NewerOpen"], false, NoProblems),
            TicketRefusalKind.InvalidStep when step == WorkStep.Reopen && refusal.State == "closed" => new StepOutcome(null, text["Refusal.Reopen"], false, NoProblems),
            TicketRefusalKind.InvalidStep => new StepOutcome(null, text["Refusal.InvalidStep", words["Status." + refusal.State]], true, NoProblems),
            _ => new StepOutcome(null, text["Refusal.Other"], false, NoProblems),
        };
    }

    private string? Check(Dictionary<string, string> problems, string field, string? value, bool required, int max)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                problems[field] = text["Field.Required"];
            }

            return null;
        }

        if (value.Length > max)
        {
            problems[field] = text["Field.TooLong", max];
            return null;
        }

        if (value.Any(c => char.IsControl(c) && c is not '\t' and not '\n' and not '\r'))
        {
            problems[field] = text["Field.ControlCharacters"];
            return null;
        }

        return value;
    }
}
