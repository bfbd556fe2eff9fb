using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Telemetry.Api.Access;
using Telemetry.Api.Plant;
using Telemetry.Maintenance.Assets;

namespace Telemetry.Api.Assets;

/// <summary><c>/api/assets</c>: the asset register, as a list with warranty status and per asset with its whole history.</summary>
public static class AssetEndpoints
{
    public static IServiceCollection AddAssets(this IServiceCollection services)
    {
        services.AddSingleton<AssetRegister>();
        return services;
    }

    public static IEndpointRouteBuilder MapAssets(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/assets", ListAsync)
            .WithTags("Assets")
            .WithName("ListAssets")
            .WithSummary("The asset register: every device with model, serial, commissioning date, warranty end and warranty status (in_warranty, expiring within 90 days, expired, unknown) as of the site's today; a crew member sees its crews' devices.")
            .RequireAuthorization(Policies.ReadPlant);
        endpoints.MapGet("/api/assets/{site}/{device}", GetAsync)
            .WithTags("Assets")
            .WithName("GetAsset")
            .WithSummary("One asset's register record: its facts and warranty status, every ticket, work order and battery test, and the parts replaced.")
            .RequireAuthorization(Policies.ReadPlant);
        return endpoints;
    }

    /// <summary>The handler of <c>GET /api/assets</c>.</summary>
    public static Results<Ok<AssetList>, ProblemHttpResult> ListAsync(
        ClaimsPrincipal user,
        ApiPlant plant,
        AssetRegister register,
        [FromQuery] string? site = null,
        [FromQuery] string? warranty = null)
    {
        var problems = new Dictionary<string, string[]>();
        if (site is not null && plant.FindSite(site) is null)
        {
            problems["site"] = [$"no site '{site}'; known: {string.Join(", ", plant.Sites.Select(s => s.Id))}"];
        }

        WarrantyStatus? status = null;
        if (warranty is not null)
        {
            if (Warranty.TryParse(warranty, out var parsed))
            {
                status = parsed;
            }
            else
            {
                problems["warranty"] = [$"'{warranty}' is none of {string.Join(", ", Enum.GetValues<WarrantyStatus>().Select(s => s.ToName()))}"];
            }
        }

        if (problems.Count > 0)
        {
            return TypedResults.Problem(new HttpValidationProblemDetails(problems) { Title = "The asset query is invalid", Status = StatusCodes.Status400BadRequest });
        }

        return TypedResults.Ok(new AssetList(register.List(Policies.CrewScope(user), site, status)));
    }

    /// <summary>The handler of <c>GET /api/assets/{site}/{device}</c>.</summary>
    public static async Task<Results<Ok<AssetRecord>, ProblemHttpResult>> GetAsync(
        string site,
        string device,
        ClaimsPrincipal user,
        ApiPlant plant,
        AssetRegister register,
        CancellationToken cancellationToken)
    {
        if (plant.Find(site, device) is not { } found)
        {
            var noSite = plant.FindSite(site) is null;
            return TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]>
            {
                [noSite ? "site" : "device"] = [noSite ? $"no site '{site}'" : $"site {site} has no device '{device}'"],
            })
            {
                Title = "No such asset",
                Status = StatusCodes.Status404NotFound,
            });
        }

        // A crew member reads the register of the devices its crews look after, as it sees their tickets only.
        if (!AssetRegister.Visible(found, Policies.CrewScope(user)))
        {
            return TypedResults.Problem(title: "Not your crew", detail: $"Device {device} is looked after by another crew", statusCode: StatusCodes.Status403Forbidden);
        }

        return TypedResults.Ok(await register.RecordAsync(found, cancellationToken));
    }
}
