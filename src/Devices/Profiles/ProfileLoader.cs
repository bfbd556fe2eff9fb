using System.Text.Json;

namespace Telemetry.Devices.Profiles;

/// <summary>Reads profile files (<c>hardware/profiles/{model}.json</c>) and validates them.</summary>
public static class ProfileLoader
{
    /// <summary>Files of a profile directory that describe the format rather than a device.</summary>
    public const string SchemaFileSuffix = ".schema.json";

    /// <summary>Parses and validates one profile.</summary>
    /// <param name="json">The profile's JSON text.</param>
    /// <param name="source">What to call the text in errors (usually the file path).</param>
    /// <exception cref="ProfileValidationException">The text broke one or more rules; all are listed.</exception>
    public static DeviceProfile Parse(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(source);
        var errors = new List<ProfileError>();
        return TryParse(json, source, errors) ?? throw new ProfileValidationException(errors);
    }

    /// <summary>Loads and validates one profile file, whose name must be <c>{model}.json</c>.</summary>
    /// <exception cref="ProfileValidationException">The file broke one or more rules; all are listed.</exception>
    public static DeviceProfile LoadFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var errors = new List<ProfileError>();
        return TryLoadFile(path, errors) ?? throw new ProfileValidationException(errors);
    }

    /// <summary>Loads every <c>*.json</c> profile of a directory (not <c>*.schema.json</c>).</summary>
    /// <exception cref="ProfileValidationException">Any file broke a rule; every error of every file is listed.</exception>
    public static ProfileCatalog LoadDirectory(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var errors = new List<ProfileError>();
        var profiles = new Dictionary<string, DeviceProfile>(StringComparer.Ordinal);
        var files = Directory.EnumerateFiles(directory, "*.json")
            .Where(f => !f.EndsWith(SchemaFileSuffix, StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            // File names are model ids, so a directory cannot hold a model twice.
            if (TryLoadFile(file, errors) is { } profile)
            {
                profiles[profile.Model] = profile;
            }
        }

        return errors.Count > 0 ? throw new ProfileValidationException(errors) : new ProfileCatalog(profiles.Values);
    }

    private static DeviceProfile? TryLoadFile(string path, List<ProfileError> errors)
    {
        var profile = TryParse(File.ReadAllText(path), path, errors);
        var expected = Path.GetFileNameWithoutExtension(path);
        if (profile is not null && profile.Model != expected)
        {
            errors.Add(new ProfileError(path, null, ProfileRule.FileNameMismatch,
                $"the file of model '{profile.Model}' must be named '{profile.Model}.json', not '{Path.GetFileName(path)}'"));
            return null;
        }

        return profile;
    }

    private static DeviceProfile? TryParse(string json, string source, List<ProfileError> errors)
    {
        ProfileDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(json, ProfileJsonContext.Default.ProfileDocument);
        }
        catch (JsonException e)
        {
            errors.Add(new ProfileError(source, null, ProfileRule.MalformedJson, e.Message));
            return null;
        }

        if (document is null)
        {
            errors.Add(new ProfileError(source, null, ProfileRule.MalformedJson, "the document is null; a profile is a JSON object"));
            return null;
        }

        return ProfileBuilder.Build(document, source, errors);
    }
}
