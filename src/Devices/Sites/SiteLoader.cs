using System.Text.Json;
using Telemetry.Devices.Profiles;

namespace Telemetry.Devices.Sites;

/// <summary>Reads site files (<c>hardware/sites/{site}.json</c>) and validates them against the device profiles.</summary>
public static class SiteLoader
{
    /// <summary>Loads and validates one site file.</summary>
    /// <param name="path">The site file.</param>
    /// <param name="profiles">The profiles devices may name.</param>
    /// <param name="options">Where relative paths resolve; see <see cref="SiteLoadOptions.PathRoot"/>.</param>
    /// <exception cref="SiteValidationException">The file broke one or more rules; all are listed.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static Site LoadFile(string path, ProfileCatalog profiles, SiteLoadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(profiles);
        var root = (options ?? new SiteLoadOptions()).ResolvePathRoot(path);
        return Parse(File.ReadAllText(path), path, profiles, root);
    }

    /// <summary>Parses and validates a site.</summary>
    /// <param name="json">The site's JSON text.</param>
    /// <param name="source">What to call the text in errors (usually the file path).</param>
    /// <param name="profiles">The profiles devices may name.</param>
    /// <param name="options">Where relative paths resolve; see <see cref="SiteLoadOptions.PathRoot"/>.</param>
    /// <exception cref="SiteValidationException">The text broke one or more rules; all are listed.</exception>
    public static Site Parse(string json, string source, ProfileCatalog profiles, SiteLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(profiles);
        return Parse(json, source, profiles, (options ?? new SiteLoadOptions()).ResolvePathRoot(null));
    }

    /// <summary>Like <see cref="Parse(string, string, ProfileCatalog, SiteLoadOptions?)"/>, reporting the broken rules instead of throwing.</summary>
    /// <returns>The site, or null when <paramref name="errors"/> is not empty.</returns>
    public static Site? TryParse(string json, string source, ProfileCatalog profiles, out IReadOnlyList<SiteError> errors, SiteLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(profiles);
        var found = new List<SiteError>();
        var site = TryParse(json, source, profiles, (options ?? new SiteLoadOptions()).ResolvePathRoot(null), found);
        errors = found;
        return site;
    }

    private static Site Parse(string json, string source, ProfileCatalog profiles, string pathRoot)
    {
        var errors = new List<SiteError>();
        return TryParse(json, source, profiles, pathRoot, errors) ?? throw new SiteValidationException(errors);
    }

    private static Site? TryParse(string json, string source, ProfileCatalog profiles, string pathRoot, List<SiteError> errors)
    {
        SiteDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(json, SiteJsonContext.Default.SiteDocument);
        }
        catch (JsonException e)
        {
            errors.Add(new SiteError(source, e.Path ?? "$", SiteRule.MalformedJson, e.Message));
            return null;
        }

        if (document is null)
        {
            errors.Add(new SiteError(source, "$", SiteRule.MalformedJson, "the document is null; a site is a JSON object"));
            return null;
        }

        return SiteBuilder.Build(document, source, profiles, pathRoot, errors);
    }
}
