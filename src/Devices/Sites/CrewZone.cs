namespace Telemetry.Devices.Sites;

/// <summary>
/// The rings crews are organised in; a ticket's on-site target depends on the ring of its asset
/// (domain: inner ring 2 h, second 3 h, third 4 h, neighbouring towns 6 h, farther by contract).
/// A closed list rather than free text, because the rules compute deadlines from it.
/// </summary>
public enum CrewZone
{
    /// <summary><c>inner</c>: the inner ring.</summary>
    Inner,

    /// <summary><c>second</c>: the second ring.</summary>
    Second,

    /// <summary><c>third</c>: the third ring.</summary>
    Third,

    /// <summary><c>town</c>: neighbouring towns.</summary>
    Town,

    /// <summary><c>contract</c>: farther; the target is the contract's.</summary>
    Contract,
}

/// <summary>Facts about <see cref="CrewZone"/>.</summary>
public static class CrewZones
{
    /// <summary>The JSON spelling (<c>inner</c>, <c>second</c>, <c>third</c>, <c>town</c>, <c>contract</c>).</summary>
    public static string ToJsonName(this CrewZone zone) => zone switch
    {
        CrewZone.Inner => "inner",
        CrewZone.Second => "second",
        CrewZone.Third => "third",
        CrewZone.Town => "town",
        CrewZone.Contract => "contract",
        _ => throw new ArgumentOutOfRangeException(nameof(zone), zone, "unknown crew zone"),
    };

    /// <summary>Parses the JSON spelling.</summary>
    public static bool TryParse(string? text, out CrewZone zone)
    {
        foreach (var candidate in Enum.GetValues<CrewZone>())
        {
            if (candidate.ToJsonName() == text)
            {
                zone = candidate;
                return true;
            }
        }

        zone = default;
        return false;
    }

    /// <summary>The default on-site target of a grade 1 fault in the zone; null for <see cref="CrewZone.Contract"/>.</summary>
    public static TimeSpan? DefaultArrivalTarget(this CrewZone zone) => zone switch
    {
        CrewZone.Inner => TimeSpan.FromHours(2),
        CrewZone.Second => TimeSpan.FromHours(3),
        CrewZone.Third => TimeSpan.FromHours(4),
        CrewZone.Town => TimeSpan.FromHours(6),
        _ => null,
    };
}
