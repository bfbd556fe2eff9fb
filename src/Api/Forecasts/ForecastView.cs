namespace Telemetry.Api.Forecasts;

/// <summary>
/// The latest forecast of one asset as the API shows it: a date forecast (battery end of life, insulation time to
/// limit) fills the dates, a lamp forecast the counts over its period; the sentence is in the request's language; the
/// observations, trend and limit are what its chart draws.
/// </summary>
public sealed record ForecastView(
    string Site,
    string Asset,
    string Kind,
    DateTimeOffset AsOf,
    DateTimeOffset? ExpectedDate,
    DateTimeOffset? LowDate,
    DateTimeOffset? HighDate,
    double? ExpectedCount,
    int? LowCount,
    int? HighCount,
    int? PeriodDays,
    string Sentence,
    string Unit,
    double? Limit,
    IReadOnlyList<ForecastPoint> Observations,
    IReadOnlyList<ForecastPoint> Trend,
    string? WorkOrder,
    DateOnly? WorkOrderDue);

/// <summary>One point of a forecast's chart.</summary>
public sealed record ForecastPoint(DateTimeOffset Time, double Value);
