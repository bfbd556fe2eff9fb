namespace Telemetry.Maintenance.Reports;

/// <summary>What a report covers.</summary>
public enum ReportScopeKind
{
    /// <summary>The whole service unit.</summary>
    ServiceUnit,

    /// <summary>One site.</summary>
    Site,

    /// <summary>The assets and tickets of one crew.</summary>
    Crew,
}

/// <summary>
/// What a report covers: the whole service unit, one site, or one crew. A ticket belongs to the crew it is assigned to
/// now; a lighting unit to the crew that looks after its device.
/// </summary>
public sealed record ReportScope
{
    private ReportScope(ReportScopeKind kind, string? name)
    {
        Kind = kind;
        Name = name;
    }

    public static ReportScope ServiceUnit { get; } = new(ReportScopeKind.ServiceUnit, null);

    public ReportScopeKind Kind { get; }

    /// <summary>The site or crew; null for the service unit.</summary>
    public string? Name { get; }

    public static ReportScope Site(string site)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(site);
        return new(ReportScopeKind.Site, site);
    }

    public static ReportScope Crew(string crew)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(crew);
        return new(ReportScopeKind.Crew, crew);
    }

    /// <summary>Whether something of <paramref name="site"/> looked after by <paramref name="crew"/> is in the scope.</summary>
    public bool Includes(string site, string? crew) => Kind switch
    {
        ReportScopeKind.ServiceUnit => true,
        ReportScopeKind.Site => site == Name,
        ReportScopeKind.Crew => crew == Name,
        _ => false,
    };

    /// <summary><c>unit</c>, <c>site:north</c>, <c>crew:crew-north</c>.</summary>
    public override string ToString() => Kind switch
    {
        ReportScopeKind.Site => $"site:{Name}",
        ReportScopeKind.Crew => $"crew:{Name}",
        _ => "unit",
    };
}
