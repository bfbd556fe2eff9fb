using Telemetry.Api.History;

namespace Telemetry.Api.Web.Devices;

/// <summary>The ranges a trend chart offers as buttons: the last hour, day, week and month.</summary>
public enum TrendRange
{
    Hour,
    Day,
    Week,
    Month,
}

/// <summary>
/// The time window a trend chart shows and the step it asks for: about <see cref="TargetPoints"/> points whatever the
/// window, on the round steps the history answers with, so that zooming in reads finer steps and zooming out coarser.
/// <see cref="Live"/> windows end now and move on with the clock; a zoomed window stays where it was put.
/// </summary>
public sealed record TrendWindow(DateTimeOffset From, DateTimeOffset To, bool Live, TrendRange? Range)
{
    /// <summary>About as many points as a chart is wide in steps a person can tell apart.</summary>
    public const int TargetPoints = 240;

    /// <summary>The narrowest window: a few minutes, a dozen readings of a slow device.</summary>
    public static readonly TimeSpan Narrowest = TimeSpan.FromMinutes(2);

    public TimeSpan Span => To - From;

    /// <summary>The finest round step that keeps the window near <see cref="TargetPoints"/> points.</summary>
    public TimeSpan Step
    {
        get
        {
            var wanted = Span / TargetPoints;
            return HistoryRequest.RoundSteps.FirstOrDefault(s => s >= wanted) is { } step && step > TimeSpan.Zero ? step : HistoryRequest.RoundSteps[^1];
        }
    }

    public static TimeSpan SpanOf(TrendRange range) => range switch
    {
        TrendRange.Hour => TimeSpan.FromHours(1),
        TrendRange.Day => TimeSpan.FromDays(1),
        TrendRange.Week => TimeSpan.FromDays(7),
        _ => TimeSpan.FromDays(30),
    };

    /// <summary>The last <paramref name="range"/> up to <paramref name="now"/>.</summary>
    public static TrendWindow Last(TrendRange range, DateTimeOffset now) => new(now - SpanOf(range), now, Live: true, range);

    /// <summary>The same window moved on to <paramref name="now"/> when it is live; itself otherwise.</summary>
    public TrendWindow At(DateTimeOffset now) => Live ? this with { From = now - Span, To = now } : this;

    /// <summary>Half as wide round its middle (no narrower than <see cref="Narrowest"/>).</summary>
    public TrendWindow ZoomIn()
    {
        var half = TimeSpan.FromTicks(Math.Max(Span.Ticks / 4, Narrowest.Ticks / 2));
        var middle = From + (Span / 2);
        return new(middle - half, middle + half, Live: false, null);
    }

    /// <summary>Twice as wide round its middle, not past <paramref name="now"/> nor wider than a history answers.</summary>
    public TrendWindow ZoomOut(DateTimeOffset now)
    {
        var span = TimeSpan.FromTicks(Math.Min(Span.Ticks * 2, HistoryRequest.MaxRange.Ticks));
        var to = From + (Span / 2) + (span / 2);
        if (to >= now)
        {
            // Reaching now: the window ends now, and moves on with the clock again.
            return new(now - span, now, Live: true, null);
        }

        return new(to - span, to, Live: false, null);
    }

    /// <summary>The part between two fractions of the window's width (a drag across the chart, either way), no narrower than <see cref="Narrowest"/>.</summary>
    public TrendWindow Select(double start, double end)
    {
        var a = Math.Clamp(Math.Min(start, end), 0, 1);
        var b = Math.Clamp(Math.Max(start, end), 0, 1);
        var from = From + (Span * a);
        var to = From + (Span * b);
        if (to - from < Narrowest)
        {
            var middle = from + ((to - from) / 2);
            from = middle - (Narrowest / 2);
            to = middle + (Narrowest / 2);
        }

        return new(from, to, Live: false, null);
    }
}
