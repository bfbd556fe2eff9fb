using System.Globalization;
using Telemetry.Api.Plant;
using Telemetry.Contracts;

namespace Telemetry.Api.History;

/// <summary>The query string of <c>GET /api/sites/{site}/devices/{device}/history</c> as ASP.NET Core binds it, before it is checked.</summary>
/// <remarks>Times are bound as text and read here, so that a bad one is a problem naming <c>from</c> or <c>to</c> like any other field.</remarks>
public sealed record HistoryParameters(string? Point, string? Circuit, string? From, string? To, string? Step);

/// <summary>A checked history request: one point of one device (one circuit, or each), a range and the step used.</summary>
/// <param name="Device">The device with its site and gateway.</param>
/// <param name="Point">The value name, one of the device's profile.</param>
/// <param name="Circuit">The circuit asked for; null for every circuit (each a series of its own) or a device without circuits.</param>
/// <param name="From">Start, inclusive.</param>
/// <param name="To">End, exclusive.</param>
/// <param name="Step">The step used: the one asked for, or wider when that would give more than <see cref="HistoryRequest.MaxPoints"/>.</param>
/// <param name="Widened">Whether the step was widened.</param>
public sealed record HistoryRequest(PlantDevice Device, string Point, string? Circuit, DateTimeOffset From, DateTimeOffset To, TimeSpan Step, bool Widened)
{
    /// <summary>The most steps one answer holds per series: a chart is a few thousand pixels wide at most.</summary>
    public const int MaxPoints = 2_000;

    /// <summary>The longest range one answer covers.</summary>
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(400);

    /// <summary>The range when none is given: the last day.</summary>
    public static readonly TimeSpan DefaultRange = TimeSpan.FromDays(1);

    /// <summary>The steps a step is widened to, so that a widened step is still one a person reads at a glance.</summary>
    public static readonly IReadOnlyList<TimeSpan> RoundSteps =
    [
        TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30),
        TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(1), TimeSpan.FromHours(2), TimeSpan.FromHours(3), TimeSpan.FromHours(6), TimeSpan.FromHours(12),
        TimeSpan.FromDays(1), TimeSpan.FromDays(7),
    ];

    /// <summary>The step as InfluxQL and the answer write it: <c>90s</c>, <c>5m</c>, <c>1h</c>, <c>1d</c>.</summary>
    public string StepText => FormatStep(Step);

    public static string FormatStep(TimeSpan step)
    {
        var seconds = (long)step.TotalSeconds;
        return seconds % 86_400 == 0 ? string.Create(CultureInfo.InvariantCulture, $"{seconds / 86_400}d")
            : seconds % 3_600 == 0 ? string.Create(CultureInfo.InvariantCulture, $"{seconds / 3_600}h")
            : seconds % 60 == 0 ? string.Create(CultureInfo.InvariantCulture, $"{seconds / 60}m")
            : string.Create(CultureInfo.InvariantCulture, $"{seconds}s");
    }

    /// <summary>A step as written in a query: a whole number of 1 to 6 digits and <c>s</c>, <c>m</c>, <c>h</c> or <c>d</c>.</summary>
    public static TimeSpan? ParseStep(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length is < 2 or > 7 || !text[..^1].All(char.IsAsciiDigit) || text[0] == '0')
        {
            return null;
        }

        var count = long.Parse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture);
        return text[^1] switch
        {
            's' => TimeSpan.FromSeconds(count),
            'm' => TimeSpan.FromMinutes(count),
            'h' => TimeSpan.FromHours(count),
            'd' => TimeSpan.FromDays(count),
            _ => null,
        };
    }

    /// <summary>
    /// The smallest step of at least <paramref name="asked"/> (or none) that keeps <paramref name="range"/> within
    /// <see cref="MaxPoints"/> steps: the asked one when it does, else the first round step that does.
    /// </summary>
    public static (TimeSpan Step, bool Widened) Fit(TimeSpan range, TimeSpan? asked)
    {
        if (asked is { } step && Steps(range, step) <= MaxPoints)
        {
            return (step, false);
        }

        var round = RoundSteps.FirstOrDefault(s => s >= (asked ?? TimeSpan.Zero) && Steps(range, s) <= MaxPoints);
        if (round == TimeSpan.Zero)
        {
            // Longer than any round step allows: whole days, enough of them.
            round = TimeSpan.FromDays(Math.Ceiling(range.TotalDays / MaxPoints) + 1);
        }

        return (round, asked is not null);
    }

    // GROUP BY time() buckets are aligned to the epoch, so a range may touch one more bucket than it spans.
    private static long Steps(TimeSpan range, TimeSpan step) => (long)Math.Ceiling(range.Ticks / (double)step.Ticks) + 1;
}

/// <summary>A history request as read: the request, or what is wrong with it, by parameter (empty when nothing is).</summary>
public sealed record ParsedHistoryRequest(HistoryRequest? Request, IDictionary<string, string[]> Problems);

/// <summary>
/// Reads the bound parameters of a history request against the device it names: the point must be one of the
/// device's profile, the circuit one of its circuits, the range ordered and at most <see cref="HistoryRequest.MaxRange"/>,
/// the step well formed. Pure, so that any query string can be tried against it.
/// </summary>
public static class HistoryRequestParser
{
    public static ParsedHistoryRequest Parse(PlantDevice device, HistoryParameters parameters, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(parameters);
        var problems = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var profile = device.Device.Profile;
        var points = profile.Points.SelectMany(p => p.ValueNames()).ToHashSet(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(parameters.Point))
        {
            problems["point"] = [$"name one of the points of model {profile.Model}: {string.Join(", ", points.Order(StringComparer.Ordinal))}"];
        }
        else if (!Identifiers.IsValidValueName(parameters.Point) || !points.Contains(parameters.Point))
        {
            problems["point"] = [$"'{Shown(parameters.Point)}' is not a point of model {profile.Model}: {string.Join(", ", points.Order(StringComparer.Ordinal))}"];
        }

        if (parameters.Circuit is { } circuit && (!int.TryParse(circuit, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            || number < 1 || number > profile.CircuitCount || circuit != number.ToString(CultureInfo.InvariantCulture)))
        {
            problems["circuit"] = [profile.CircuitCount == 0
                ? $"device {device.Device.Id} has no circuits"
                : $"'{Shown(circuit)}' is not a circuit of device {device.Device.Id}: 1 to {profile.CircuitCount}"];
        }

        var to = Time(parameters.To, "to", problems) ?? now;
        var from = Time(parameters.From, "from", problems) ?? to - HistoryRequest.DefaultRange;
        if (problems.ContainsKey("from") || problems.ContainsKey("to"))
        {
            // Already named; an order between a time and a default would only confuse.
        }
        else if (from >= to)
        {
            problems["to"] = ["must be later than from"];
        }
        else if (to - from > HistoryRequest.MaxRange)
        {
            problems["from"] = [string.Create(CultureInfo.InvariantCulture, $"the range may be {HistoryRequest.MaxRange.TotalDays:0} days at most")];
        }

        TimeSpan? step = null;
        if (parameters.Step is { } text)
        {
            step = HistoryRequest.ParseStep(text);
            if (step is null || step > HistoryRequest.MaxRange)
            {
                problems["step"] = [$"'{Shown(text)}' is not a step: a whole number and s, m, h or d (such as 30s, 5m, 1h), at most {HistoryRequest.MaxRange.TotalDays:0}d"];
            }
        }

        if (problems.Count > 0)
        {
            return new(null, problems);
        }

        var (used, widened) = HistoryRequest.Fit(to - from, step);
        return new(new HistoryRequest(device, parameters.Point!, parameters.Circuit, from, to, used, widened), problems);
    }

    // An RFC 3339 time with its offset (2026-11-22T19:00:00Z); a time without one would depend on the server's zone.
    private static DateTimeOffset? Time(string? text, string name, Dictionary<string, string[]> problems)
    {
        if (text is null)
        {
            return null;
        }

        if (text.Length is > 10 and <= 40 && (text[^1] is 'Z' or 'z' || text[^6] is '+' or '-')
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var time)
            && time.Year is >= 1970 and <= 2200)
        {
            return time;
        }

        problems[name] = [$"'{Shown(text)}' is not a time: RFC 3339 with an offset, such as 2026-11-22T19:00:00Z"];
        return null;
    }

    // A value echoed in a problem is cut short: the problem names the input, it does not repeat a megabyte of it.
    private static string Shown(string value) => value.Length <= 64 ? value : value[..64] + "…";
}
