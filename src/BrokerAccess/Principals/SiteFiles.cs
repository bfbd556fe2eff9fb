using Telemetry.Devices.Profiles;
using Telemetry.Devices.Sites;

namespace Telemetry.BrokerAccess.Principals;

/// <summary>Loads the site files the way the services do, with the profiles they name.</summary>
public static class SiteFiles
{
    /// <summary>The profiles folder when none is given: <c>../profiles</c> beside the first site file, as in the repository.</summary>
    public static string DefaultProfilesDirectory(string firstSiteFile) =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(firstSiteFile))!, "..", "profiles"));

    /// <summary>Loads and validates every file.</summary>
    /// <exception cref="FileNotFoundException">A site file or the profiles folder does not exist.</exception>
    /// <exception cref="SiteValidationException">A site file broke a rule.</exception>
    /// <exception cref="ProfileValidationException">A profile broke a rule.</exception>
    public static IReadOnlyList<Site> Load(IReadOnlyList<string> files, string? profilesDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        if (files.Count == 0)
        {
            return [];
        }

        foreach (var file in files.Where(f => !File.Exists(f)))
        {
            throw new FileNotFoundException($"site file '{Path.GetFullPath(file)}' does not exist", file);
        }

        var directory = profilesDirectory ?? DefaultProfilesDirectory(files[0]);
        if (!System.IO.Directory.Exists(directory))
        {
            throw new FileNotFoundException($"profiles folder '{Path.GetFullPath(directory)}' does not exist (pass --profiles <dir>)", directory);
        }

        var profiles = ProfileLoader.LoadDirectory(directory);
        return [.. files.Select(f => SiteLoader.LoadFile(Path.GetFullPath(f), profiles))];
    }
}
