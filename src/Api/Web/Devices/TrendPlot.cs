using System.Globalization;
using System.Text;
using Telemetry.Api.History;

namespace Telemetry.Api.Web.Devices;

/// <summary>
/// Where a trend's points, band, ticks and marks fall in the chart's drawing (<see cref="Width"/> by
/// <see cref="Height"/> units, scaled to the page's width): time across, value up, ticks on round values and on round
/// times of the site's clock. Pure: the chart draws what this gives.
/// </summary>
public sealed class TrendPlot
{
    public const double Width = 1000;
    public const double Height = 320;
    public const double Left = 64;
    public const double Right = 16;
    public const double Top = 16;
    public const double Bottom = 40;

    private static readonly TimeSpan[] TimeSteps =
    [
        TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(15),
        TimeSpan.FromMinutes(30), TimeSpan.FromHours(1), TimeSpan.FromHours(2), TimeSpan.FromHours(3), TimeSpan.FromHours(6),
        TimeSpan.FromHours(12), TimeSpan.FromDays(1), TimeSpan.FromDays(2), TimeSpan.FromDays(7),
    ];

    public TrendPlot(DateTimeOffset from, DateTimeOffset to, IEnumerable<HistorySeries> series)
    {
        ArgumentNullException.ThrowIfNull(series);
        From = from;
        To = to > from ? to : from.AddMinutes(1);
        var points = series.SelectMany(s => s.Points).ToList();
        var low = points.Count > 0 ? points.Min(p => p.Min) : 0;
        var high = points.Count > 0 ? points.Max(p => p.Max) : 1;
        if (high - low < 1e-9)
        {
            // A flat line sits in the middle of the chart rather than on its edge.
            var pad = Math.Max(Math.Abs(high) * 0.1, 1);
            low -= pad;
            high += pad;
        }

        var step = NiceStep((high - low) / 5);
        Low = Math.Floor(low / step) * step;
        High = Math.Ceiling(high / step) * step;
        ValueStep = step;
    }

    public DateTimeOffset From { get; }

    public DateTimeOffset To { get; }

    public double Low { get; }

    public double High { get; }

    public double ValueStep { get; }

    public static double PlotWidth => Width - Left - Right;

    public static double PlotHeight => Height - Top - Bottom;

    public double X(DateTimeOffset at) => Left + (PlotWidth * Math.Clamp((at - From) / (To - From), 0, 1));

    public double Y(double value) => Top + (PlotHeight * (1 - Math.Clamp((value - Low) / (High - Low), 0, 1)));

    public bool Within(DateTimeOffset at) => at >= From && at <= To;

    /// <summary>The value ticks: round values from the bottom of the chart to its top.</summary>
    public IReadOnlyList<double> ValueTicks()
    {
        var ticks = new List<double>();
        for (var i = 0; i <= 20; i++)
        {
            var value = Low + (i * ValueStep);
            if (value > High + (ValueStep / 1000))
            {
                break;
            }

            ticks.Add(Math.Round(value, 10));
        }

        return ticks;
    }

    /// <summary>The time ticks: at most eight, on whole minutes, hours or days of the site's clock.</summary>
    public IReadOnlyList<DateTimeOffset> TimeTicks(TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var span = To - From;
        var step = TimeSteps.FirstOrDefault(s => span / s <= 8);
        if (step == TimeSpan.Zero)
        {
            step = TimeSpan.FromDays(Math.Ceiling(span.TotalDays / 8));
        }

        var local = TimeZoneInfo.ConvertTime(From, zone);
        var midnight = new DateTimeOffset(local.Date, local.Offset);
        var tick = midnight + (step * Math.Ceiling((local - midnight) / step));
        var ticks = new List<DateTimeOffset>();
        while (tick <= To && ticks.Count < 12)
        {
            ticks.Add(tick);
            tick += step;
        }

        return ticks;
    }

    /// <summary>How a time tick is written: the time of day within a day and a half, else the date (and time when ticks fall within days).</summary>
    public string TimeLabel(DateTimeOffset at, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(at, zone);
        var span = To - From;
        var format = span <= TimeSpan.FromHours(36) ? "HH:mm" : span <= TimeSpan.FromDays(8) ? "MM-dd HH:mm" : "MM-dd";
        return local.ToString(format, CultureInfo.InvariantCulture);
    }

    /// <summary>The runs of a series without gaps: steps without readings (more than two steps apart) break the line.</summary>
    public static IReadOnlyList<IReadOnlyList<HistoryPoint>> Runs(HistorySeries series, TimeSpan step)
    {
        ArgumentNullException.ThrowIfNull(series);
        var runs = new List<IReadOnlyList<HistoryPoint>>();
        var run = new List<HistoryPoint>();
        foreach (var point in series.Points)
        {
            if (run.Count > 0 && point.Time - run[^1].Time > step * 2.5)
            {
                runs.Add(run);
                run = [];
            }

            run.Add(point);
        }

        if (run.Count > 0)
        {
            runs.Add(run);
        }

        return runs;
    }

    /// <summary>The mean as polyline points; a point is drawn at the middle of its step.</summary>
    public string Line(IReadOnlyList<HistoryPoint> run, TimeSpan step)
    {
        ArgumentNullException.ThrowIfNull(run);
        var text = new StringBuilder();
        foreach (var point in run)
        {
            Append(text, X(point.Time + (step / 2)), Y(point.Mean));
        }

        return text.ToString();
    }

    /// <summary>The band from the least to the greatest as polygon points: along the greatest, back along the least.</summary>
    public string Band(IReadOnlyList<HistoryPoint> run, TimeSpan step)
    {
        ArgumentNullException.ThrowIfNull(run);
        var text = new StringBuilder();
        foreach (var point in run)
        {
            Append(text, X(point.Time + (step / 2)), Y(point.Max));
        }

        for (var i = run.Count - 1; i >= 0; i--)
        {
            Append(text, X(run[i].Time + (step / 2)), Y(run[i].Min));
        }

        return text.ToString();
    }

    /// <summary>A number as SVG attributes take it.</summary>
    public static string Svg(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static void Append(StringBuilder text, double x, double y)
    {
        if (text.Length > 0)
        {
            text.Append(' ');
        }

        text.Append(Svg(x)).Append(',').Append(Svg(y));
    }

    private static double NiceStep(double rough)
    {
        if (rough <= 0 || double.IsNaN(rough) || double.IsInfinity(rough))
        {
            return 1;
        }

        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var fraction = rough / magnitude;
        return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * magnitude;
    }
}
