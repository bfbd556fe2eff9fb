using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Telemetry.Api.Access;
using Telemetry.Contracts;
using Telemetry.Hosting;

namespace Telemetry.Api.Live;

/// <summary><c>/api/sites</c> and <c>/api/events</c>: the plant as it is now, and its changes as they happen, for every role.</summary>
public static class LiveEndpoints
{
    public static IEndpointRouteBuilder MapLive(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var health = endpoints.ServiceProvider.GetRequiredService<HealthRegistry>();
        health.Add(endpoints.ServiceProvider.GetRequiredService<LiveStatusConsumer>());
        health.Add(endpoints.ServiceProvider.GetRequiredService<TicketFeedFollower>());
        var sites = endpoints.MapGroup("/api/sites").WithTags("Live status").RequireAuthorization(Policies.ReadPlant);
        sites.MapGet("/", ListSites)
            .WithName("ListSites")
            .WithSummary("Every site with its counts, lamp lighting rate, gateways online and open faults by grade.");
        sites.MapGet("/{site}", GetSite)
            .WithName("GetSite")
            .WithSummary("One site's gateways and devices with their live status.");
        sites.MapGet("/{site}/devices/{device}", GetDevice)
            .WithName("GetDevice")
            .WithSummary("One device: last values per circuit, quality, online state, lighting rate and open tickets.");
        endpoints.MapGet("/api/events", EventStream.RunAsync)
            .WithTags("Live status")
            .WithName("Events")
            .WithSummary("text/event-stream of status and ticket changes; resume with Last-Event-ID.")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .ProducesValidationProblem()
            .RequireAuthorization(Policies.ReadPlant);
        return endpoints;
    }

    public static Ok<IReadOnlyList<SiteSummary>> ListSites(LivePlant plant, TimeProvider clock) => TypedResults.Ok(plant.Sites(clock.GetUtcNow()));

    public static Results<Ok<SiteStatus>, ProblemHttpResult> GetSite(string site, LivePlant plant, TimeProvider clock)
    {
        if (Invalid("site", site) is { } invalid)
        {
            return invalid;
        }

        return plant.Site(site, clock.GetUtcNow()) is { } found
            ? TypedResults.Ok(found)
            : TypedResults.Problem(title: "No such site", detail: $"There is no site {site}", statusCode: StatusCodes.Status404NotFound);
    }

    public static Results<Ok<DeviceStatus>, ProblemHttpResult> GetDevice(string site, string device, ClaimsPrincipal user, LivePlant plant, TimeProvider clock)
    {
        if ((Invalid("site", site) ?? Invalid("device", device)) is { } invalid)
        {
            return invalid;
        }

        return plant.Device(site, device, Policies.CrewScope(user), clock.GetUtcNow()) is { } found
            ? TypedResults.Ok(found)
            : TypedResults.Problem(title: "No such device", detail: $"There is no device {device} at site {site}", statusCode: StatusCodes.Status404NotFound);
    }

    /// <summary>A 400 problem naming <paramref name="field"/> when <paramref name="value"/> is no identifier.</summary>
    internal static ProblemHttpResult? Invalid(string field, string value) => Identifiers.IsValid(value)
        ? null
        : TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]>
        {
            [field] = [string.Create(CultureInfo.InvariantCulture, $"'{Shorten(value)}' is not an identifier: {Identifiers.Rule}")],
        })
        {
            Title = $"The {field} is invalid",
            Status = StatusCodes.Status400BadRequest,
        });

    private static string Shorten(string text) => text.Length <= 64 ? text : string.Concat(text.AsSpan(0, 64), "…");
}
