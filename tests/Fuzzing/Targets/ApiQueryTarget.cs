using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using FsCheck;
using Microsoft.AspNetCore.Http;
using Telemetry.Api.Tickets;
using Telemetry.Contracts;
using Telemetry.Fuzzing.Inputs;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Tickets;

namespace Telemetry.Fuzzing.Targets;

/// <summary>
/// <c>GET /api/tickets?{query}</c>: the endpoint's handler (<see cref="TicketEndpoints.ListAsync"/>, which reads
/// the bound parameters with <see cref="TicketQueryParser"/>) run through ASP.NET Core's binding, to the SQLite
/// store. Every query gets a 200 with its page or a 400 naming what is wrong; a query that reaches the store
/// obeys the rules of <see cref="TicketQuery"/>.
/// </summary>
public sealed partial class ApiQueryTarget : IFuzzTarget, IDisposable
{
    private const string ValidQuery =
        "status=open,acknowledged&site=north&crew=crew-1&grade=2&fault=mast_outage&asset=north/gw-north-01/mast-07&open=true"
        + "&from=2026-11-01T00:00:00Z&to=2026-11-30T00:00:00Z&limit=10&offset=0";

    private readonly TicketApiHost _api = new();
    private readonly RequestDelegate _list;

    public ApiQueryTarget() => _list = _api.Endpoint(TicketEndpoints.ListAsync);

    public string Name => "api-query";

    public Gen<byte[]> Inputs { get; } = HostileQuery.For(ValidQuery, "status", "site", "crew", "grade", "fault", "asset", "open", "from", "to", "limit", "offset");

    public FuzzOutcome Feed(byte[] input)
    {
        ArgumentNullException.ThrowIfNull(input);
        int status;
        try
        {
            status = _api.Get(_list, "/api/tickets", Encoding.UTF8.GetString(input));
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status400BadRequest)
        {
            return FuzzOutcome.Refused($"unbound_{(BoundParameter().Match(ex.Message) is { Success: true } m ? m.Groups[1].Value : "parameter")}", ex.Message);
        }
        catch (Exception ex)
        {
            return FuzzOutcome.Threw(ex);
        }

        return status switch
        {
            StatusCodes.Status200OK when _api.Stored is not { } stored => FuzzOutcome.Failed("a 200 without asking the store"),
            StatusCodes.Status200OK when Broken(_api.Stored) is { } broken => FuzzOutcome.Failed($"a query that breaks its rules reached the store: {broken}"),
            StatusCodes.Status200OK => FuzzOutcome.Accepted,
            StatusCodes.Status400BadRequest when _api.Stored is null => FuzzOutcome.Refused(ProblemOf(_api.Body), _api.Body),
            _ => FuzzOutcome.Failed($"status {status}{(_api.Stored is null ? "" : " after the store was asked")}: {_api.Body}"),
        };
    }

    public bool FeedValid() =>
        _api.Get(_list, "/api/tickets", ValidQuery) == StatusCodes.Status200OK
        && _api.Stored is { Site: "north", Crew: "crew-1", Grade: FaultGrade.Grade2, Fault: var fault, OpenOnly: true, Limit: 10, Offset: 0, Statuses.Count: 2 } && fault == FaultType.MastOutage;

    public void Dispose() => _api.Dispose();

    /// <summary>What a query that reached the store breaks of the rules, or null.</summary>
    private static string? Broken(TicketQuery query) =>
        query.Limit is < 1 or > TicketQuery.MaxLimit ? $"limit {query.Limit}"
        : query.Offset < 0 ? $"offset {query.Offset}"
        : query.Site is { } site && !Identifiers.IsValid(site) ? $"site '{site}'"
        : query.Crew is { } crew && !Identifiers.IsValid(crew) ? $"crew '{crew}'"
        : query.Grade is { } grade && !Enum.IsDefined(grade) ? $"grade {grade}"
        : query.Fault is { } fault && !FaultType.TryParse(fault.Name, out _) ? $"fault {fault}"
        : query.AssetKey is { } asset && AssetRef.TryParse(asset) is null ? $"asset '{asset}'"
        : query.OpenedFrom > query.OpenedTo ? $"from {query.OpenedFrom:O} after to {query.OpenedTo:O}"
        : null;

    /// <summary>The first parameter the problem names, as the reason: <c>invalid_grade</c>.</summary>
    private static string ProblemOf(string body)
    {
        try
        {
            using var problem = JsonDocument.Parse(body);
            return problem.RootElement.TryGetProperty("errors", out var errors)
                && errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal).FirstOrDefault() is { } name
                ? $"invalid_{name}"
                : "";
        }
        catch (JsonException)
        {
            return "";
        }
    }

    // Failed to bind parameter "Nullable<int> grade" from "x".
    [GeneratedRegex("""parameter "(?:[^"]* )?([^" ]+)" from""")]
    private static partial Regex BoundParameter();
}
