using System.Globalization;
using Telemetry.Contracts;

namespace Telemetry.Maintenance.Thresholds;

/// <summary>
/// Checks a <see cref="ThresholdChange"/> against the catalogue and against the settings it would change. Every problem
/// names the parameter and the rule it broke; all of them are reported, not just the first.
/// </summary>
public static class ThresholdChangeValidator
{
    // Site and device names that no identifier can spell, standing for every site or device no setting names:
    // they all resolve alike, so one stand-in checks them all.
    private const string AnySite = "*site";
    private const string AnyDevice = "*device";

    private static readonly string ScopeForms = "global, family:<family>, site:<site> or device:<site>/<device>";

    /// <summary>The problems with <paramref name="change"/> if applied to <paramref name="current"/>; empty when it may be applied.</summary>
    public static IReadOnlyList<ThresholdProblem> Validate(ThresholdChange change, ThresholdSnapshot current)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(current);

        var problems = new List<ThresholdProblem>();
        var name = change.Parameter ?? "";
        var scopeKey = change.Scope ?? "";
        void Refuse(string message) => problems.Add(new(name, scopeKey, message));

        var parameter = current.Catalogue.Find(change.Parameter);
        if (parameter is null)
        {
            Refuse(UnknownParameter(name, current.Catalogue));
        }

        var scope = ThresholdScope.TryParse(change.Scope);
        if (scope is null)
        {
            Refuse(InvalidScope(scopeKey));
        }

        CheckAuthor(change.Author, Refuse);
        CheckReason(change.Reason, Refuse);

        if (change.Value is double value)
        {
            CheckValue(parameter, value, Refuse);
        }
        else if (scope?.Level == ScopeLevel.Global)
        {
            Refuse("the global value cannot be removed, only set: removal is for a family, site or device override, which then falls back to the wider scope");
        }

        if (parameter is null || scope is null || problems.Count > 0)
        {
            return problems;
        }

        var atScope = ValueAt(current, parameter, scope);
        if (change.Value is null && atScope is null)
        {
            Refuse($"there is no override of {parameter.Name} at {scope.Key} to remove");
        }
        else if (change.Value is double unchanged && atScope == unchanged)
        {
            Refuse($"{parameter.Name} is already {Show(unchanged)} at {scope.Key}: nothing would change");
        }
        else
        {
            CheckBands(change, parameter, scope, current, problems);
        }

        return problems;
    }

    /// <summary>The value set at exactly that scope: the stored override, or for the global scope the catalogue default.</summary>
    internal static double? ValueAt(ThresholdSnapshot snapshot, ThresholdParameter parameter, ThresholdScope scope)
    {
        var setting = snapshot.Settings.FirstOrDefault(s => s.Parameter.Index == parameter.Index && s.Scope == scope);
        return setting?.Value ?? (scope.Level == ScopeLevel.Global ? parameter.Default : null);
    }

    /// <summary>The settings after the change: the one at its scope replaced or removed.</summary>
    internal static List<ThresholdSetting> Apply(IEnumerable<ThresholdSetting> settings, ThresholdParameter parameter, ThresholdScope scope, double? value)
    {
        var after = settings.Where(s => !(s.Parameter.Index == parameter.Index && s.Scope == scope)).ToList();
        if (value is double set)
        {
            after.Add(new ThresholdSetting(parameter, scope, set));
        }

        return after;
    }

    private static void CheckAuthor(string? author, Action<string> refuse)
    {
        var trimmed = author?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            refuse("author is required: the history records who changed a threshold");
        }
        else if (trimmed.Length > ThresholdChange.MaxAuthorLength)
        {
            refuse($"author is {trimmed.Length} characters long; at most {ThresholdChange.MaxAuthorLength} are allowed");
        }
        else if (trimmed.Any(char.IsControl))
        {
            refuse("author contains control characters");
        }
        else if (string.Equals(trimmed, ThresholdChange.SystemAuthor, StringComparison.OrdinalIgnoreCase))
        {
            refuse($"author '{trimmed}' is reserved for the values the store seeds itself");
        }
    }

    private static void CheckReason(string? reason, Action<string> refuse)
    {
        var trimmed = reason?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            refuse("reason is required: the history records why a threshold changed");
        }
        else if (trimmed.Length > ThresholdChange.MaxReasonLength)
        {
            refuse($"reason is {trimmed.Length} characters long; at most {ThresholdChange.MaxReasonLength} are allowed");
        }
    }

    private static void CheckValue(ThresholdParameter? parameter, double value, Action<string> refuse)
    {
        if (!double.IsFinite(value))
        {
            refuse($"value {Show(value)} is not a finite number");
            return;
        }

        if (parameter is null)
        {
            return;
        }

        if (value < parameter.Minimum || value > parameter.Maximum)
        {
            refuse($"value {Show(value)} is outside the allowed range [{Show(parameter.Minimum)}, {Show(parameter.Maximum)}] of {parameter.Name}");
        }

        if (parameter.WholeNumber && value != Math.Floor(value))
        {
            refuse($"value {Show(value)} is not a whole number; {parameter.Name} counts and takes whole numbers only");
        }
    }

    /// <summary>
    /// Refuses a change that would put a clear level on the wrong side of its trip level for any device it reaches,
    /// wherever either level comes from: the changed scope, a wider one, or a narrower override that already exists.
    /// </summary>
    private static void CheckBands(ThresholdChange change, ThresholdParameter parameter, ThresholdScope scope, ThresholdSnapshot current, List<ThresholdProblem> problems)
    {
        var bands = current.Catalogue.Bands.Where(b => b.Trip.Index == parameter.Index || b.Clear.Index == parameter.Index).ToList();
        if (bands.Count == 0)
        {
            return;
        }

        var after = new ThresholdSnapshot(current.Catalogue, current.Version + 1, Apply(current.Settings, parameter, scope, change.Value));
        var reported = new HashSet<(string Trip, string Clear)>();
        foreach (var reach in Reaches(after, scope))
        {
            foreach (var band in bands)
            {
                var tripSource = reach.Source(after, band.Trip);
                var clearSource = reach.Source(after, band.Clear);
                var trip = tripSource?.Value ?? band.Trip.Default;
                var clear = clearSource?.Value ?? band.Clear.Default;
                if (band.IsOrdered(trip, clear) || !reported.Add((From(tripSource), From(clearSource))))
                {
                    continue;
                }

                var action = change.Value is double value
                    ? $"setting {parameter.Name} to {Show(value)} at {scope.Key}"
                    : $"removing the override of {parameter.Name} at {scope.Key}";
                var (wrongSide, rightSide) = band.Direction == TripDirection.Below ? ("at or below", "above") : ("at or above", "below");
                var narrowest = new[] { tripSource?.Scope, clearSource?.Scope }.OfType<ThresholdScope>().MaxBy(s => s.Level) ?? ThresholdScope.Global;
                problems.Add(new(
                    parameter.Name,
                    narrowest.Key,
                    $"{action} would leave {band.Clear.Name} = {Show(clear)} (from {From(clearSource)}) {wrongSide} {band.Trip.Name} = {Show(trip)} " +
                    $"(from {From(tripSource)}) for {reach.Describe(tripSource, clearSource)}; the clear level must stay {rightSide} the trip level"));
            }
        }
    }

    /// <summary>
    /// Every distinct resolution the change can reach: each family, at each site some setting names and at any other
    /// site, for each device some setting names there and any other device; then the site-wide resolutions.
    /// Unnamed sites and devices come first so that a problem common to many is described by its widest reach.
    /// </summary>
    private static IEnumerable<Reach> Reaches(ThresholdSnapshot after, ThresholdScope scope)
    {
        var named = after.Settings.Select(s => s.Scope).Append(scope).Where(s => s.Site is not null).ToList();
        string[] sites = [AnySite, .. named.Select(s => s.Site!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        foreach (var site in sites)
        {
            string[] devices = [AnyDevice, .. named.Where(s => s.Site == site && s.Device is not null).Select(s => s.Device!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
            foreach (var device in devices)
            {
                foreach (var family in Enum.GetValues<DeviceFamily>())
                {
                    if (scope.Covers(family, site, device))
                    {
                        yield return new Reach(family, site, device);
                    }
                }
            }
        }

        // A site-wide resolution (ForSite) sees only global and site settings.
        foreach (var site in sites)
        {
            if (scope.Level == ScopeLevel.Global || (scope.Level == ScopeLevel.Site && scope.Site == site))
            {
                yield return new Reach(null, site, AnyDevice);
            }
        }
    }

    private static string From(ThresholdSetting? source) => source?.Scope.Key ?? "the catalogue default";

    private static string Show(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static string UnknownParameter(string name, ThresholdCatalogue catalogue)
    {
        var closest = catalogue.All.MinBy(p => EditDistance(name, p.Name))!;
        return name.Length == 0
            ? $"parameter is required; the {catalogue.All.Count} known parameters are listed in the catalogue, e.g. '{closest.Name}'"
            : $"unknown parameter '{name}'; the closest known parameter is '{closest.Name}'";
    }

    private static string InvalidScope(string key)
    {
        if (key.Length == 0)
        {
            return $"scope is required: {ScopeForms}";
        }

        var colon = key.IndexOf(':', StringComparison.Ordinal);
        var (kind, rest) = colon < 0 ? (key, "") : (key[..colon], key[(colon + 1)..]);
        switch (kind)
        {
            case "family":
                return $"scope '{key}' names no device family; the families are {string.Join(", ", Enum.GetValues<DeviceFamily>().Select(f => f.ToContractName()))}";
            case "site":
                return $"scope '{key}': site '{rest}' is not a valid identifier ({Identifiers.Rule})";
            case "device":
                var slash = rest.IndexOf('/', StringComparison.Ordinal);
                if (slash < 0)
                {
                    return $"scope '{key}' is not device:<site>/<device>";
                }

                var (site, device) = (rest[..slash], rest[(slash + 1)..]);
                var bad = Identifiers.IsValid(site) ? $"device '{device}'" : $"site '{site}'";
                return $"scope '{key}': {bad} is not a valid identifier ({Identifiers.Rule})";
            default:
                return $"scope '{key}' is not a scope: use {ScopeForms}";
        }
    }

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var row = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                row[j] = Math.Min(substitution, Math.Min(previous[j], row[j - 1]) + 1);
            }

            (previous, row) = (row, previous);
        }

        return previous[b.Length];
    }

    /// <summary>One resolution: a device of a family at a site, or (no family) a site-wide question.</summary>
    private sealed record Reach(DeviceFamily? Family, string Site, string Device)
    {
        public ThresholdSetting? Source(ThresholdSnapshot snapshot, ThresholdParameter parameter) => Family is DeviceFamily family
            ? snapshot.Source(parameter, family, Site, Device)
            : snapshot.SiteSource(parameter, Site);

        public string Describe(ThresholdSetting? trip, ThresholdSetting? clear)
        {
            if (Family is not DeviceFamily family)
            {
                return Site == AnySite ? "site-wide checks at sites without an override" : $"site-wide checks at site:{Site}";
            }

            var byFamily = trip?.Scope.Level == ScopeLevel.Family || clear?.Scope.Level == ScopeLevel.Family;
            var kind = byFamily ? $"{family.ToContractName()} devices" : "devices";
            return (Site, Device) switch
            {
                (AnySite, _) => $"{kind} without a narrower override",
                (_, AnyDevice) => $"{kind} at site:{Site}",
                _ => byFamily ? $"device:{Site}/{Device} as a {family.ToContractName()}" : $"device:{Site}/{Device}",
            };
        }
    }
}
