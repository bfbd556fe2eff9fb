namespace Telemetry.Api;

/// <summary>The <c>Api</c> section.</summary>
public sealed class ApiSettings
{
    /// <summary>The SQLite file of tickets, thresholds and notifications, shared with Rules.</summary>
    public string Database { get; set; } = "";

    /// <summary>The service unit's code, first part of the numbers of tickets operators open.</summary>
    public string ServiceUnit { get; set; } = "YW";

    /// <summary>The service unit's time zone: ticket numbers restart each month of this zone.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>The plant's site files, as Rules reads them: which gateway serves which device, and what each device is.</summary>
    public List<string> SiteFiles { get; set; } = [];

    /// <summary>The device profiles; by default the <c>profiles</c> folder beside the first site file's folder.</summary>
    public string? ProfilesDirectory { get; set; }

    public string ResolvedProfilesDirectory => Path.GetFullPath(
        ProfilesDirectory ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(SiteFiles.FirstOrDefault() ?? "."))!, "..", "profiles"));

    /// <summary>Ticket actions a signed-in user may take per minute; beyond it, 429 with Retry-After.</summary>
    public int ActionsPerMinute { get; set; } = 60;

    /// <summary>
    /// How often a browser session is checked against the users: a user removed, locked by an administrator, or whose
    /// roles or crews changed is signed out within this time.
    /// </summary>
    public TimeSpan SessionCheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long after the resolution the repair must be verified with the customer (the closing).</summary>
    public TimeSpan VerificationWithin { get; set; } = TimeSpan.FromHours(48);

    /// <summary>How long after the closing the customer's satisfaction survey is due.</summary>
    public TimeSpan SurveyWithin { get; set; } = TimeSpan.FromHours(16);

    /// <summary>How long after the closing of a grade 1 or 2 repair the return visit is due.</summary>
    public TimeSpan ReturnVisitWithin { get; set; } = TimeSpan.FromDays(7);

    public IEnumerable<string> Validate()
    {
        if (SessionCheckInterval <= TimeSpan.Zero || SessionCheckInterval > TimeSpan.FromHours(1))
        {
            yield return $"Api:SessionCheckInterval must be more than 0 and at most 01:00:00, not {SessionCheckInterval}";
        }

        if (ActionsPerMinute < 1)
        {
            yield return $"Api:ActionsPerMinute must be at least 1, not {ActionsPerMinute}";
        }

        if (string.IsNullOrWhiteSpace(Database))
        {
            yield return "Api:Database must name the SQLite file of tickets";
        }

        foreach (var file in SiteFiles.Where(f => !File.Exists(f)))
        {
            yield return $"Api:SiteFiles '{Path.GetFullPath(file)}' does not exist";
        }

        if (SiteFiles.Count > 0 && !Directory.Exists(ResolvedProfilesDirectory))
        {
            yield return $"Api:ProfilesDirectory '{ResolvedProfilesDirectory}' is not a folder";
        }
    }
}

/// <summary>The <c>Influx</c> section: where the readings are stored (history, backtests); those answer 503 without a URL.</summary>
public sealed class ApiInfluxSettings
{
    public Uri? Url { get; set; }

    public string Database { get; set; } = "telemetry";

    public string? Username { get; set; }

    public string? Password { get; set; }

    public IEnumerable<string> Validate()
    {
        if (Url is not null && (!Url.IsAbsoluteUri || (Url.Scheme != Uri.UriSchemeHttp && Url.Scheme != Uri.UriSchemeHttps)))
        {
            yield return $"Influx:Url '{Url}' must be an absolute http or https address";
        }

        if (!Contracts.Identifiers.IsValid(Database))
        {
            yield return $"Influx:Database '{Database}' is invalid: {Contracts.Identifiers.Rule}";
        }
    }
}
