using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Telemetry.Api.Access;
using Telemetry.Contracts;
using Telemetry.Forecasting;
using Telemetry.Maintenance.Forecasts;
using Telemetry.Maintenance.Storage;
using Telemetry.Maintenance.WorkOrders;

namespace Telemetry.Api.Forecasts;

/// <summary><c>/api/forecasts</c>: the latest forecast per asset and kind (domain section 7), for operators, crews and engineers.</summary>
public static class ForecastEndpoints
{
    public static IServiceCollection AddForecasts(this IServiceCollection services)
    {
        services.AddSingleton<IForecastStore>(sp => new SqliteForecastStore(sp.GetRequiredService<SqliteDatabase>()));
        services.AddScoped<ForecastReader>();
        return services;
    }

    public static IEndpointRouteBuilder MapForecasts(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/forecasts", ListAsync).RequireAuthorization(Policies.ReadForecasts)
            .WithTags("Forecasts")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .WithName("ListForecasts")
            .WithSummary("The latest forecast per asset: battery end of life, insulation time to limit, lamp failures, with the 80 % interval, the sentence in the request's language, the chart's series and the predictive work order (for a crew member, only its own crews' work orders).");
        return endpoints;
    }

    /// <summary>The handler of <c>GET /api/forecasts</c>.</summary>
    public static async Task<Results<Ok<IReadOnlyList<ForecastView>>, ProblemHttpResult>> ListAsync(
        ClaimsPrincipal user,
        ForecastReader reader,
        CancellationToken cancellationToken,
        [FromQuery] string? site = null,
        [FromQuery] string? kind = null)
    {
        var problems = new Dictionary<string, string[]>();
        if (site is not null && !Identifiers.IsValid(site))
        {
            problems["site"] = [$"'{Shorten(site)}' is not a site id: {Identifiers.Rule}"];
        }

        ForecastKind? parsed = null;
        if (kind is not null)
        {
            if (PredictiveWorkOrders.TryParseKind(kind, out var known))
            {
                parsed = known;
            }
            else
            {
                problems["kind"] = [$"'{Shorten(kind)}' is none of {string.Join(", ", Enum.GetValues<ForecastKind>().Select(PredictiveWorkOrders.KindName))}"];
            }
        }

        if (problems.Count > 0)
        {
            return TypedResults.Problem(new HttpValidationProblemDetails(problems) { Title = "The forecast query is invalid", Status = StatusCodes.Status400BadRequest });
        }

        return TypedResults.Ok(await reader.ListAsync(user, site, parsed, cancellationToken));
    }

    private static string Shorten(string value) => value.Length <= 64 ? value : value[..64] + "…";
}
