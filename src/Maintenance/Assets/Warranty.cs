namespace Telemetry.Maintenance.Assets;

/// <summary>Where an asset stands against its supplier's warranty on a given day.</summary>
public enum WarrantyStatus
{
    /// <summary>The site file gives no warranty end.</summary>
    Unknown,

    /// <summary>Under warranty for more than <see cref="Warranty.ExpiringWithinDays"/> days yet.</summary>
    InWarranty,

    /// <summary>Under warranty, ending within <see cref="Warranty.ExpiringWithinDays"/> days: time to claim what is due.</summary>
    Expiring,

    /// <summary>The warranty has ended: repairs are the contractor's cost.</summary>
    Expired,
}

/// <summary>The warranty rule: the last day given is still covered; the last 90 days are flagged as ending soon.</summary>
public static class Warranty
{
    /// <summary>How many days before its end a warranty counts as expiring.</summary>
    public const int ExpiringWithinDays = 90;

    /// <summary>The status of a warranty ending on <paramref name="until"/> (inclusive) as seen on <paramref name="today"/>.</summary>
    public static WarrantyStatus StatusOn(DateOnly? until, DateOnly today) => until switch
    {
        null => WarrantyStatus.Unknown,
        { } end when end < today => WarrantyStatus.Expired,
        { } end when end.DayNumber - today.DayNumber <= ExpiringWithinDays => WarrantyStatus.Expiring,
        _ => WarrantyStatus.InWarranty,
    };

    /// <summary>The contract name of a status: <c>unknown</c>, <c>in_warranty</c>, <c>expiring</c>, <c>expired</c>.</summary>
    public static string ToName(this WarrantyStatus status) => status switch
    {
        WarrantyStatus.InWarranty => "in_warranty",
        WarrantyStatus.Expiring => "expiring",
        WarrantyStatus.Expired => "expired",
        _ => "unknown",
    };

    /// <summary>Reads a contract name back; false for anything else.</summary>
    public static bool TryParse(string? name, out WarrantyStatus status)
    {
        foreach (var candidate in Enum.GetValues<WarrantyStatus>())
        {
            if (candidate.ToName() == name)
            {
                status = candidate;
                return true;
            }
        }

        status = WarrantyStatus.Unknown;
        return false;
    }
}
