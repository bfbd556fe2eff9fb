using Telemetry.Contracts;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Tickets;

namespace Telemetry.Api.Tickets;

/// <summary>The query string of <c>GET /api/tickets</c> as ASP.NET Core binds it, before it is checked.</summary>
public sealed record TicketListParameters(
    string? Status,
    string? Site,
    string? Crew,
    int? Grade,
    string? Fault,
    string? Asset,
    bool Open,
    DateTimeOffset? From,
    DateTimeOffset? To,
    int Limit,
    int Offset);

/// <summary>A ticket list query as read: the query, or what is wrong with it, by parameter (empty when nothing is).</summary>
public sealed record ParsedTicketQuery(TicketQuery? Query, IDictionary<string, string[]> Problems);

/// <summary>
/// Reads the bound parameters of <c>GET /api/tickets</c> into a <see cref="TicketQuery"/>: status and fault names,
/// identifiers, grade, asset key, paging and time bounds, each wrong one named with what it must be. Pure, so
/// that any query string can be tried against it.
/// </summary>
public static class TicketQueryParser
{
    public static ParsedTicketQuery Parse(TicketListParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var problems = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var statuses = new List<TicketStatus>();
        foreach (var name in (parameters.Status ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (TicketStatuses.TryParse(name, out var parsed))
            {
                statuses.Add(parsed);
            }
            else
            {
                problems["status"] = [$"'{name}' is not a status: {string.Join(", ", Enum.GetValues<TicketStatus>().Select(s => s.ToName()))}"];
            }
        }

        CheckIdentifier(problems, "site", parameters.Site);
        CheckIdentifier(problems, "crew", parameters.Crew);
        if (parameters.Grade is < 1 or > 4)
        {
            problems["grade"] = [$"{parameters.Grade} is not a grade (1-4)"];
        }

        FaultType? faultType = null;
        if (parameters.Fault is { } fault)
        {
            if (FaultType.TryParse(fault, out var parsed))
            {
                faultType = parsed;
            }
            else
            {
                problems["fault"] = [$"'{fault}' is not a fault type: {string.Join(", ", FaultType.All.Select(f => f.ToName()))}"];
            }
        }

        if (parameters.Asset is { } asset && AssetRef.TryParse(asset) is null)
        {
            problems["asset"] = [$"'{asset}' is not an asset key (site/gateway[/device[/circuit]])"];
        }

        if (parameters.Limit is < 1 or > TicketQuery.MaxLimit)
        {
            problems["limit"] = [$"{parameters.Limit} must be 1-{TicketQuery.MaxLimit}"];
        }

        if (parameters.Offset < 0)
        {
            problems["offset"] = [$"{parameters.Offset} must not be negative"];
        }

        if (parameters.From is { } from && parameters.To is { } to && from > to)
        {
            problems["from"] = ["must not be after 'to'"];
        }

        if (problems.Count > 0)
        {
            return new(null, problems);
        }

        return new(
            new TicketQuery
            {
                Statuses = statuses.Count > 0 ? statuses : null,
                Site = parameters.Site,
                Crew = parameters.Crew,
                Grade = parameters.Grade is { } g ? (FaultGrade)g : null,
                Fault = faultType,
                AssetKey = parameters.Asset,
                OpenOnly = parameters.Open,
                OpenedFrom = parameters.From,
                OpenedTo = parameters.To,
                Limit = parameters.Limit,
                Offset = parameters.Offset,
            },
            problems);
    }

    private static void CheckIdentifier(Dictionary<string, string[]> problems, string name, string? value)
    {
        if (value is not null && !Identifiers.IsValid(value))
        {
            problems[name] = [$"'{value}' is invalid: {Identifiers.Rule}"];
        }
    }
}
