using System.Globalization;

namespace Telemetry.Forecasting;

/// <summary>What a forecast is about.</summary>
public enum ForecastKind
{
    /// <summary>The date a battery's full-duration runtime falls below its rated duration.</summary>
    BatteryEndOfLife,

    /// <summary>The date a circuit's insulation resistance falls below the limit (0.5 MΩ by default).</summary>
    InsulationTimeToLimit,

    /// <summary>How many lamps of a circuit or mast go dark in the coming period.</summary>
    LampFailures,
}

/// <summary>A forecast about one asset, made with what was known at <see cref="AsOf"/>; the interval holds the outcome with 80 % probability.</summary>
public abstract record Forecast(string Asset, ForecastKind Kind, DateTimeOffset AsOf)
{
    /// <summary>The nominal probability that the outcome falls inside the interval.</summary>
    public const double IntervalProbability = 0.8;

    /// <summary>How far ahead dates are forecast: a crossing later than this is given as the horizon.</summary>
    public static readonly TimeSpan DateHorizon = TimeSpan.FromDays(15 * 365.25);

    /// <summary>
    /// The forecast as one sentence, e.g. "eps-02 will fail its yearly test around 2027-03, 80 % interval 2027-01 to 2027-05".
    /// The caller supplies the wording (one template per kind, in the user's language); the library holds no text.
    /// </summary>
    public string Sentence(ForecastWording wording)
    {
        ArgumentNullException.ThrowIfNull(wording);
        var template = Kind switch
        {
            ForecastKind.BatteryEndOfLife => wording.BatteryEndOfLife,
            ForecastKind.InsulationTimeToLimit => wording.InsulationTimeToLimit,
            _ => wording.LampFailures,
        };
        var (expected, low, high) = Figures(wording);
        return string.Format(wording.Culture, template, Asset, expected, low, high);
    }

    /// <summary>The expected outcome and the interval's ends as the sentence shows them.</summary>
    protected abstract (string Expected, string Low, string High) Figures(ForecastWording wording);
}

/// <summary>A forecast of a date: when a runtime or a resistance will cross its limit.</summary>
public sealed record DateForecast(string Asset, ForecastKind Kind, DateTimeOffset AsOf, DateTimeOffset Expected, DateTimeOffset Low, DateTimeOffset High)
    : Forecast(Asset, Kind, AsOf)
{
    protected override (string Expected, string Low, string High) Figures(ForecastWording wording) =>
        (Expected.ToString(wording.MonthFormat, wording.Culture), Low.ToString(wording.MonthFormat, wording.Culture), High.ToString(wording.MonthFormat, wording.Culture));

    /// <summary>Whether <paramref name="outcome"/> falls inside the interval.</summary>
    public bool Covers(DateTimeOffset outcome) => outcome >= Low && outcome <= High;
}

/// <summary>A forecast of a count over a period after <see cref="Forecast.AsOf"/>: lamps that will go dark.</summary>
public sealed record CountForecast(string Asset, ForecastKind Kind, DateTimeOffset AsOf, TimeSpan Period, double Expected, int Low, int High)
    : Forecast(Asset, Kind, AsOf)
{
    protected override (string Expected, string Low, string High) Figures(ForecastWording wording) =>
        (Expected.ToString("0.#", wording.Culture), Low.ToString(wording.Culture), High.ToString(wording.Culture));

    /// <summary>Whether <paramref name="outcome"/> falls inside the interval.</summary>
    public bool Covers(int outcome) => outcome >= Low && outcome <= High;
}

/// <summary>
/// The words of forecast sentences in one language: composite format templates with {0} the asset, {1} the expected
/// date or count, {2} and {3} the interval's ends.
/// </summary>
public sealed record ForecastWording(CultureInfo Culture, string BatteryEndOfLife, string InsulationTimeToLimit, string LampFailures)
{
    /// <summary>How dates are shown: to the month, as a work order plans them.</summary>
    public string MonthFormat { get; init; } = "yyyy-MM";
}
