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

    /// <summary>The <c>Api:Reports</c> section: when the reports of a month that ended are made and stored.</summary>
    public ReportScheduleSettings Reports { get; set; } = new();

    public IEnumerable<string> Validate()
    {
        foreach (var problem in Reports.Validate())
        {
            yield return problem;
        }

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

/// <summary>The <c>Api:Reports</c> section: the schedule on which the reports of a month that ended are stored.</summary>
public sealed class ReportScheduleSettings
{
    /// <summary>Whether this Api makes the scheduled reports; a second Api on the same database may leave it to the first.</summary>
    public bool Scheduled { get; set; } = true;

    /// <summary>The local hour of the 1st at which the month before is reported (each site's time zone for its own report).</summary>
    public TimeSpan GenerateAt { get; set; } = TimeSpan.FromHours(6);

    /// <summary>How often the schedule looks for a report due and not stored, and retries one that failed.</summary>
    public TimeSpan CheckEvery { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How many of the last months ended are made when missing, as after the Api was down over a 1st.</summary>
    public int CatchUpMonths { get; set; } = 3;

    public IEnumerable<string> Validate()
    {
        if (GenerateAt < TimeSpan.Zero || GenerateAt >= TimeSpan.FromDays(1))
        {
            yield return $"Api:Reports:GenerateAt must be a time of day from 00:00 to 23:59, not {GenerateAt}";
        }

        if (CheckEvery < TimeSpan.FromSeconds(1) || CheckEvery > TimeSpan.FromDays(1))
        {
            yield return $"Api:Reports:CheckEvery must be from 00:00:01 to 1.00:00:00, not {CheckEvery}";
        }

        if (CatchUpMonths is < 1 or > 24)
        {
            yield return $"Api:Reports:CatchUpMonths must be 1 to 24, not {CatchUpMonths}";
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
