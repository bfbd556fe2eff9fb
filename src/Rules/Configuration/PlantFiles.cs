using Microsoft.Extensions.Logging;
using Telemetry.Devices.Profiles;
using Telemetry.Devices.Sites;
using Telemetry.Rules.Evaluation;

namespace Telemetry.Rules.Configuration;

/// <summary>
/// The plant Rules judges, from the site files: loaded at start (a broken file stops the start with every
/// error listed) and checked for changes; a changed set that validates replaces the plant, a broken one is
/// logged and counted and the previous plant stays.
/// </summary>
public sealed partial class PlantFiles
{
    private readonly RulesSettings _settings;
    private readonly ILogger<PlantFiles> _logger;
    private string _stamp;
    private long _rejectedReloads;

    public PlantFiles(RulesSettings settings, ILogger<PlantFiles> logger)
    {
        _settings = settings;
        _logger = logger;
        _stamp = Stamp();
        Sites = Load();
        LogLoaded(_logger, Sites.Count, Sites.Sum(s => s.Gateways.Sum(g => g.Devices.Count)));
    }

    /// <summary>The sites of the last set of files that validated.</summary>
    public IReadOnlyList<Site> Sites { get; private set; }

    public long RejectedReloads => Interlocked.Read(ref _rejectedReloads);

    public PlantDirectory CreateDirectory() => new(Sites);

    /// <summary>A new directory when the files changed and validate; null when nothing changed or they are broken.</summary>
    public PlantDirectory? CheckForChange()
    {
        var stamp = Stamp();
        if (stamp == _stamp)
        {
            return null;
        }

        _stamp = stamp;
        try
        {
            Sites = Load();
            LogReloaded(_logger, Sites.Count, Sites.Sum(s => s.Gateways.Sum(g => g.Devices.Count)));
            return CreateDirectory();
        }
        catch (Exception ex) when (ex is SiteValidationException or ProfileValidationException or IOException or UnauthorizedAccessException)
        {
            Interlocked.Increment(ref _rejectedReloads);
            LogRejected(_logger, ex.Message);
            return null;
        }
    }

    private List<Site> Load()
    {
        var profiles = ProfileLoader.LoadDirectory(_settings.ResolvedProfilesDirectory);
        var sites = _settings.SiteFiles.Select(f => SiteLoader.LoadFile(Path.GetFullPath(f), profiles)).ToList();
        var twice = sites.GroupBy(s => s.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        return twice is null
            ? sites
            : throw new SiteValidationException([new SiteError(string.Join(", ", twice.Select(s => s.Source)), "$.site", SiteRule.DuplicateId, $"site '{twice.Key}' is defined by more than one file")]);
    }

    private string Stamp() => string.Join('|', _settings.SiteFiles.Select(f =>
    {
        var info = new FileInfo(f);
        return info.Exists ? $"{info.LastWriteTimeUtc.Ticks}:{info.Length}" : "missing";
    }));

    [LoggerMessage(Level = LogLevel.Information, Message = "Plant loaded: {Sites} sites, {Devices} devices")]
    private static partial void LogLoaded(ILogger logger, int sites, int devices);

    [LoggerMessage(Level = LogLevel.Information, Message = "Site files changed: now {Sites} sites, {Devices} devices")]
    private static partial void LogReloaded(ILogger logger, int sites, int devices);

    [LoggerMessage(Level = LogLevel.Error, Message = "Site files changed but do not validate; the previous plant stays: {Reason}")]
    private static partial void LogRejected(ILogger logger, string reason);
}
