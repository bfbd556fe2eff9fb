namespace Telemetry.Testing;

/// <summary>Folders of the repository, found from the test assembly's location.</summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Telemetry.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException($"no Telemetry.sln above {AppContext.BaseDirectory}");
    });

    public static string Root => RootPath.Value;

    public static string Hardware => Path.Combine(Root, "hardware");

    public static string StackConfiguration => Path.Combine(Root, "scripts", "conf");

    /// <summary>A fresh folder for one server or test; removed by whoever owns it.</summary>
    public static string NewScratchDirectory(string purpose)
    {
        var path = Path.Combine(Path.GetTempPath(), "telemetry-tests", $"{purpose}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>The stack's configuration template with its placeholders filled in.</summary>
    public static string FillTemplate(string templateName, IReadOnlyDictionary<string, string> values)
    {
        var text = File.ReadAllText(Path.Combine(StackConfiguration, templateName));
        foreach (var (key, value) in values)
        {
            text = text.Replace($"@{key}@", value, StringComparison.Ordinal);
        }

        return text;
    }
}
