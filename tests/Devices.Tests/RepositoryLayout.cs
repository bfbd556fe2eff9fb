namespace Telemetry.Devices.Tests;

/// <summary>Finds the repository's folders from the test assembly, wherever the tests run.</summary>
internal static class RepositoryLayout
{
    public static string Root { get; } = FindRoot();

    public static string ProfilesDirectory => Path.Combine(Root, "hardware", "profiles");

    public static string HardwareReadme => Path.Combine(Root, "hardware", "README.md");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Telemetry.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no folder above {AppContext.BaseDirectory} contains Telemetry.sln");
    }
}
