namespace Telemetry.Devices.Sites;

/// <summary>How a site file is loaded: against which folder its relative paths resolve.</summary>
public sealed record SiteLoadOptions
{
    /// <summary>The environment variable that sets <see cref="PathRoot"/> when the options do not.</summary>
    public const string PathRootVariable = "TELEMETRY_ROOT";

    /// <summary>
    /// The folder relative paths of the file (serial devices, TLS files) resolve against. When null:
    /// <c>$TELEMETRY_ROOT</c> if set; otherwise the repository root (the nearest folder above the site file that
    /// holds <c>Telemetry.sln</c>); otherwise the site file's own folder (the current folder for parsed text).
    /// </summary>
    public string? PathRoot { get; init; }

    /// <summary>Reads environment variables (for <c>TELEMETRY_ROOT</c>); the process environment when null.</summary>
    public Func<string, string?>? Environment { get; init; }

    /// <summary>The folder relative paths of <paramref name="siteFile"/> resolve against (see <see cref="PathRoot"/>).</summary>
    /// <param name="siteFile">The site file's path, or null for text that came from elsewhere.</param>
    public string ResolvePathRoot(string? siteFile)
    {
        if (!string.IsNullOrEmpty(PathRoot))
        {
            return Path.GetFullPath(PathRoot);
        }

        var fromEnvironment = (Environment ?? System.Environment.GetEnvironmentVariable)(PathRootVariable);
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return Path.GetFullPath(fromEnvironment);
        }

        if (siteFile is null)
        {
            return Directory.GetCurrentDirectory();
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(siteFile))!;
        for (var directory = new DirectoryInfo(folder); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Telemetry.sln")))
            {
                return directory.FullName;
            }
        }

        return folder;
    }
}
