using Telemetry.Forecasting.Batteries;
using Telemetry.Forecasting.History;
using Telemetry.Forecasting.Insulation;
using Telemetry.Forecasting.Lamps;

namespace Telemetry.Forecasting.Evaluation;

/// <summary>How one kind of forecast did against what happened, next to the naive baseline judged on the same outcomes.</summary>
/// <param name="Kind">What was forecast.</param>
/// <param name="Judged">Outcomes judged.</param>
/// <param name="ModelError">Mean absolute error of the forecasts (days, or lamps).</param>
/// <param name="BaselineError">Mean absolute error of the baseline on the same outcomes.</param>
/// <param name="Coverage">Share of outcomes inside the forecasts' 80 % intervals.</param>
public sealed record KindEvaluation(ForecastKind Kind, int Judged, double ModelError, double BaselineError, double Coverage)
{
    /// <summary>Model error over baseline error: below 1, the forecast beats the baseline.</summary>
    public double Ratio => BaselineError > 0 ? ModelError / BaselineError : double.PositiveInfinity;
}

/// <summary>
/// Fits on the history up to a split and judges on the rest. End of life and time to limit: one forecast per asset
/// still above its limit at the split, judged against the true crossing, which the generator carries past the end
/// of the readings (judging only the crossings inside the readings would keep the early ones of each asset and
/// favour early forecasts); assets whose truth lies beyond the forecast horizon are left out. Lamp failures: a forecast for every group at the split and every period after it, each judged
/// on the failures of the period that follows.
/// </summary>
public static class HeldOutEvaluation
{
    public static readonly TimeSpan LampPeriod = TimeSpan.FromDays(30);


    public static IReadOnlyList<KindEvaluation> Evaluate(PlantObservations observed, PlantHistory truth, DateTimeOffset split, double insulationLimitMohm = 0.5)
    {
        ArgumentNullException.ThrowIfNull(observed);
        ArgumentNullException.ThrowIfNull(truth);
        return [Batteries(observed, truth, split), Insulation(observed, truth, split, insulationLimitMohm), Lamps(observed, truth, split)];
    }

    public static KindEvaluation Batteries(PlantObservations observed, PlantHistory truth, DateTimeOffset split)
    {
        ArgumentNullException.ThrowIfNull(observed);
        ArgumentNullException.ThrowIfNull(truth);
        var forecaster = BatteryEndOfLifeForecaster.Learn(observed.Batteries, split);
        var judged = new List<(double Model, double Baseline, bool Covered)>();
        foreach (var battery in observed.Batteries)
        {
            var actual = truth.Batteries[battery.Device].EndOfLife;
            if (actual <= split || actual > split + Forecast.DateHorizon || forecaster.Forecast(battery, split) is not { } forecast)
            {
                continue;
            }

            judged.Add((Days(forecast.Expected, actual), Days(FixedAgeReplacement.EndOfLife(battery), actual), forecast.Covers(actual)));
        }

        return Summary(ForecastKind.BatteryEndOfLife, judged);
    }

    public static KindEvaluation Insulation(PlantObservations observed, PlantHistory truth, DateTimeOffset split, double limitMohm)
    {
        ArgumentNullException.ThrowIfNull(observed);
        ArgumentNullException.ThrowIfNull(truth);
        var forecaster = InsulationTimeToLimitForecaster.Learn(observed.Insulation, split, limitMohm);
        var judged = new List<(double Model, double Baseline, bool Covered)>();
        foreach (var box in observed.Insulation)
        {
            var actual = truth.Insulation[box.Device].CrossesLimit;
            if (actual <= split || actual > split + Forecast.DateHorizon || forecaster.Forecast(box, split) is not { } forecast)
            {
                continue;
            }

            var baseline = LastTwoPointsTrend.Crossing(box, split, limitMohm, Forecast.DateHorizon);
            judged.Add((Days(forecast.Expected, actual), Days(baseline, actual), forecast.Covers(actual)));
        }

        return Summary(ForecastKind.InsulationTimeToLimit, judged);
    }

    public static KindEvaluation Lamps(PlantObservations observed, PlantHistory truth, DateTimeOffset split)
    {
        ArgumentNullException.ThrowIfNull(observed);
        ArgumentNullException.ThrowIfNull(truth);
        var judged = new List<(double Model, double Baseline, bool Covered)>();
        for (var asOf = split; asOf + LampPeriod <= observed.End; asOf += LampPeriod)
        {
            var forecaster = LampFailureForecaster.Learn(observed.LampGroups, asOf, observed.Latitude);
            foreach (var group in observed.LampGroups)
            {
                var forecast = forecaster.Forecast(group, asOf, LampPeriod);
                // The truth: lamps that failed in the period, by the generator's own record.
                var end = asOf + LampPeriod;
                var actual = truth.LampGroups[group.Asset].Failures.Count(f => f > asOf && f <= end);
                judged.Add((Math.Abs(forecast.Expected - actual), Math.Abs(LastPeriodCount.Failures(group, asOf, LampPeriod) - actual), forecast.Covers(actual)));
            }
        }

        return Summary(ForecastKind.LampFailures, judged);
    }

    private static double Days(DateTimeOffset forecast, DateTimeOffset actual) => Math.Abs((forecast - actual).TotalDays);

    private static KindEvaluation Summary(ForecastKind kind, List<(double Model, double Baseline, bool Covered)> judged) =>
        judged.Count == 0
            ? new KindEvaluation(kind, 0, double.NaN, double.NaN, double.NaN)
            : new KindEvaluation(kind, judged.Count, judged.Average(j => j.Model), judged.Average(j => j.Baseline), judged.Count(j => j.Covered) / (double)judged.Count);
}
