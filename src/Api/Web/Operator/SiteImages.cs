using Telemetry.Api.Access;
using Telemetry.Contracts;

namespace Telemetry.Api.Web.Operator;

/// <summary>
/// The optional picture drawn under a site's plan (an aerial photo, a drawing): <c>Api:SiteImages:{site}</c> names a
/// PNG, JPEG or WebP file, served to signed-in users under <c>/plant-images/{site}</c>. Other kinds (SVG, which can
/// carry script) are not served.
/// </summary>
public sealed partial class SiteImages(IConfiguration configuration, ILogger<SiteImages> logger)
{
    public const string Section = "Api:SiteImages";

    private static readonly Dictionary<string, string> Types = new(StringComparer.OrdinalIgnoreCase)
    {
        [".png"] = "image/png",
        [".jpg"] = "image/jpeg",
        [".jpeg"] = "image/jpeg",
        [".webp"] = "image/webp",
    };

    public static string UrlOf(string site) => "/plant-images/" + Uri.EscapeDataString(site);

    /// <summary>Whether the site has a picture that can be served now.</summary>
    public bool Has(string site) => Find(site) is not null;

    /// <summary>The picture's file and content type, or null when none is set, the file is missing or of another kind.</summary>
    public (string Path, string ContentType)? Find(string site)
    {
        if (!Identifiers.IsValid(site) || configuration.GetSection(Section)[site] is not { Length: > 0 } file)
        {
            return null;
        }

        var path = System.IO.Path.GetFullPath(file);
        if (!Types.TryGetValue(System.IO.Path.GetExtension(path), out var type))
        {
            LogRefused(site, path);
            return null;
        }

        if (!File.Exists(path))
        {
            LogMissing(site, path);
            return null;
        }

        return (path, type);
    }

    /// <summary>Maps <c>GET /plant-images/{site}</c> for whoever may read the plant.</summary>
    public static IEndpointRouteBuilder MapSiteImages(IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/plant-images/{site}", (string site, SiteImages images) =>
                images.Find(site) is { } image ? Results.File(image.Path, image.ContentType) : Results.NotFound())
            .RequireAuthorization(Policies.ReadPlant)
            .ExcludeFromDescription();
        return endpoints;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The picture of site {Site} at {Path} is not served: only PNG, JPEG and WebP are")]
    private partial void LogRefused(string site, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The picture of site {Site} at {Path} does not exist")]
    private partial void LogMissing(string site, string path);
}
