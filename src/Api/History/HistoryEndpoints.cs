using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Telemetry.Api.Access;
using Telemetry.Api.Plant;

namespace Telemetry.Api.History;

/// <summary><c>/api/sites/{site}/devices/{device}/history</c>: a point's readings over time with the asset's ticket events.</summary>
public static class HistoryEndpoints
{
    public static IEndpointRouteBuilder MapHistory(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/sites/{site}/devices/{device}/history", GetAsync)
            .WithTags("History")
            .WithName("GetDeviceHistory")
            .WithSummary("A point of a device from the readings store, mean, least and greatest per step, with the ticket events of the device on the same time axis.")
            .RequireAuthorization(Policies.ReadHistory);
        return endpoints;
    }

    /// <summary>The handler, public so that it can be run through ASP.NET Core's binding with any query string.</summary>
    public static async Task<Results<Ok<HistoryView>, ProblemHttpResult>> GetAsync(
        string site,
        string device,
        ClaimsPrincipal user,
        ApiPlant plant,
        ReadingHistory history,
        TimeProvider clock,
        CancellationToken cancellationToken,
        [FromQuery] string? point = null,
        [FromQuery] string? circuit = null,
        [FromQuery] string? from = null,
        [FromQuery] string? to = null,
        [FromQuery] string? step = null)
    {
        if (plant.Find(site, device) is not { } found)
        {
            return TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]>
            {
                [plant.FindSite(site) is null ? "site" : "device"] = [plant.FindSite(site) is null ? "no such site" : $"site {site} has no such device"],
            })
            {
                Title = "No such device",
                Status = StatusCodes.Status404NotFound,
            });
        }

        // A crew member reads the devices its crews look after, as it sees their tickets only.
        if (Policies.CrewScope(user) is { } crews && (found.Device.Crew is null || !crews.Contains(found.Device.Crew)))
        {
            return TypedResults.Problem(title: "Not your crew", detail: $"Device {device} is looked after by another crew", statusCode: StatusCodes.Status403Forbidden);
        }

        var parsed = HistoryRequestParser.Parse(found, new HistoryParameters(point, circuit, from, to, step), clock.GetUtcNow());
        if (parsed.Request is not { } request)
        {
            return TypedResults.Problem(new HttpValidationProblemDetails(parsed.Problems)
            {
                Title = "The history request is invalid",
                Status = StatusCodes.Status400BadRequest,
            });
        }

        var outcome = await history.ReadAsync(request, cancellationToken);
        return outcome switch
        {
            { View: { } view } => TypedResults.Ok(view),
            { Refusal: HistoryRefusal.NotNumeric } => TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { ["point"] = [outcome.Reason!] })
            {
                Title = "The history request is invalid",
                Status = StatusCodes.Status400BadRequest,
            }),
            _ => TypedResults.Problem(title: "The readings store is unavailable", detail: outcome.Reason, statusCode: StatusCodes.Status503ServiceUnavailable),
        };
    }
}
