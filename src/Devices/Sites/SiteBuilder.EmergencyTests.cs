using System.Globalization;
using Telemetry.Contracts;

namespace Telemetry.Devices.Sites;

// The site's emergency_tests section: kept apart from the plant's own shape, which it only refers to (groups).
internal sealed partial class SiteBuilder
{
    private const int MaxIntervalDays = 1100;
    private const double MaxRechargeHours = 168;

    private static readonly Dictionary<string, DayOfWeek> DayNames = new(StringComparer.Ordinal)
    {
        ["mon"] = DayOfWeek.Monday,
        ["tue"] = DayOfWeek.Tuesday,
        ["wed"] = DayOfWeek.Wednesday,
        ["thu"] = DayOfWeek.Thursday,
        ["fri"] = DayOfWeek.Friday,
        ["sat"] = DayOfWeek.Saturday,
        ["sun"] = DayOfWeek.Sunday,
    };

    /// <summary>The weekday names an occupancy takes.</summary>
    public static IReadOnlyCollection<string> OccupancyDays => DayNames.Keys;

    private EmergencyTestSchedule? BuildEmergencyTests(EmergencyTestsDocument? document, List<SiteGateway> gateways)
    {
        if (document is null)
        {
            return null;
        }

        const string path = "$.emergency_tests";
        var defaults = new EmergencyTestSchedule();
        var window = defaults.Window;
        if (document.Window is { } w)
        {
            window = Hours(w.From, w.To, $"{path}.window", SiteRule.InvalidTestWindow, "the test window") ?? window;
        }

        var share = Share(document.MaxShareDischarging, $"{path}.max_share_discharging") ?? defaults.MaxShareDischarging;
        var function = IntervalDays(document.FunctionIntervalDays, $"{path}.function_interval_days", defaults.FunctionInterval);
        var oneHour = IntervalDays(document.OneHourIntervalDays, $"{path}.one_hour_interval_days", defaults.OneHourInterval);
        var full = IntervalDays(document.FullDurationIntervalDays, $"{path}.full_duration_interval_days", defaults.FullDurationInterval);
        if (function is not null && oneHour is not null && full is not null && (function > oneHour || oneHour > full))
        {
            Error(path, SiteRule.InvalidTestInterval,
                $"the intervals must not shrink from function ({function.Value.TotalDays} d) to one-hour ({oneHour.Value.TotalDays} d) to full duration ({full.Value.TotalDays} d): a longer test stands for the shorter ones");
        }

        var recharge = defaults.Recharge;
        if (document.RechargeH is { } hours)
        {
            if (!double.IsFinite(hours) || hours is < 0 or > MaxRechargeHours)
            {
                Error($"{path}.recharge_h", SiteRule.InvalidTestInterval, $"recharge_h {hours.ToString(CultureInfo.InvariantCulture)} is outside 0..{MaxRechargeHours} h");
            }
            else
            {
                recharge = TimeSpan.FromHours(hours);
            }
        }

        var known = gateways.SelectMany(g => g.Devices).Where(d => d.Family == DeviceFamily.EmergencyBattery && d.Group is not null).Select(d => d.Group!).ToHashSet(StringComparer.Ordinal);
        var groups = new List<EmergencyGroup>();
        for (var i = 0; i < (document.Groups?.Count ?? 0); i++)
        {
            var groupPath = $"{path}.groups[{i}]";
            if (document.Groups![i] is not { } g)
            {
                Error(groupPath, SiteRule.MalformedJson, "a group must be an object, not null");
                continue;
            }

            var id = RequireIdentifier(g.Group, $"{groupPath}.group", "group");
            if (id is not null && !known.Contains(id))
            {
                Error($"{groupPath}.group", SiteRule.UnknownGroup,
                    $"no emergency unit belongs to group '{id}'; the units' groups are: {(known.Count == 0 ? "(none)" : string.Join(", ", known.Order(StringComparer.Ordinal)))}");
                id = null;
            }
            else if (id is not null && groups.Any(x => x.Id == id))
            {
                Error($"{groupPath}.group", SiteRule.DuplicateId, $"group '{id}' is described twice");
                id = null;
            }

            var groupShare = Share(g.MaxShareDischarging, $"{groupPath}.max_share_discharging");
            var occupied = new List<OccupiedHours>();
            for (var j = 0; j < (g.Occupied?.Count ?? 0); j++)
            {
                if (Occupied(g.Occupied![j], $"{groupPath}.occupied[{j}]") is { } o)
                {
                    occupied.Add(o);
                }
            }

            if (id is not null)
            {
                groups.Add(new EmergencyGroup(id, groupShare, occupied));
            }
        }

        return new EmergencyTestSchedule
        {
            Enabled = document.Enabled ?? true,
            Window = window,
            MaxShareDischarging = share,
            Recharge = recharge,
            FunctionInterval = function ?? defaults.FunctionInterval,
            OneHourInterval = oneHour ?? defaults.OneHourInterval,
            FullDurationInterval = full ?? defaults.FullDurationInterval,
            Groups = groups,
        };
    }

    private OccupiedHours? Occupied(OccupiedDocument? document, string path)
    {
        if (document is null)
        {
            Error(path, SiteRule.MalformedJson, "occupied hours must be an object, not null");
            return null;
        }

        var days = new HashSet<DayOfWeek>();
        if (document.Days is null || document.Days.Count == 0)
        {
            Error($"{path}.days", SiteRule.InvalidOccupancy, $"occupied hours need 'days', some of {string.Join(", ", DayNames.Keys)}");
        }

        var daysOk = true;
        for (var i = 0; i < (document.Days?.Count ?? 0); i++)
        {
            if (document.Days![i] is { } name && DayNames.TryGetValue(name, out var day))
            {
                days.Add(day);
            }
            else
            {
                Error($"{path}.days[{i}]", SiteRule.InvalidOccupancy, $"day '{document.Days[i]}' is none of {string.Join(", ", DayNames.Keys)}");
                daysOk = false;
            }
        }

        var hours = Hours(document.From, document.To, path, SiteRule.InvalidOccupancy, "occupied hours");
        return hours is not null && daysOk && days.Count > 0 ? new OccupiedHours(days, hours) : null;
    }

    private LocalHours? Hours(string? from, string? to, string path, SiteRule rule, string what)
    {
        var start = TimeOfDay(from, $"{path}.from", rule, what);
        var end = TimeOfDay(to, $"{path}.to", rule, what);
        if (start is null || end is null)
        {
            return null;
        }

        if (start >= end)
        {
            Error($"{path}.to", rule, $"{what} end ({to}) is not after their start ({from}); give hours across midnight as two entries");
            return null;
        }

        return new LocalHours(start.Value, end.Value);
    }

    private TimeSpan? TimeOfDay(string? text, string path, SiteRule rule, string what)
    {
        if (text == "24:00")
        {
            return TimeSpan.FromHours(24);
        }

        if (TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return time.ToTimeSpan();
        }

        Error(path, rule, text is null ? $"{what} need '{path[(path.LastIndexOf('.') + 1)..]}' as HH:mm" : $"'{text}' is not a local time HH:mm (00:00 to 24:00) for {what}");
        return null;
    }

    private double? Share(double? value, string path)
    {
        if (value is not { } share)
        {
            return null;
        }

        if (!double.IsFinite(share) || share is <= 0 or > 1)
        {
            Error(path, SiteRule.InvalidDischargeShare, $"max_share_discharging {share.ToString(CultureInfo.InvariantCulture)} is outside 0 (exclusive) to 1; at least one unit of a group may always test");
            return null;
        }

        return share;
    }

    private TimeSpan? IntervalDays(int? value, string path, TimeSpan fallback)
    {
        if (value is not { } days)
        {
            return fallback;
        }

        if (days is < 1 or > MaxIntervalDays)
        {
            Error(path, SiteRule.InvalidTestInterval, $"{days} days is outside 1..{MaxIntervalDays} days");
            return null;
        }

        return TimeSpan.FromDays(days);
    }
}
