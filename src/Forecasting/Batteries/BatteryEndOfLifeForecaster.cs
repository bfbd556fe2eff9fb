using Telemetry.Forecasting.History;
using Telemetry.Forecasting.Numerics;

namespace Telemetry.Forecasting.Batteries;

/// <summary>
/// Forecasts when a battery's full-duration runtime falls below its rated duration. Each test gives the battery's
/// full runtime: a failed test measures it, a passed one tells it from the voltage the battery had reached when the
/// test ended (the discharge curve). A line through these, and through the runtime the battery had when new (its
/// age), is fitted with a prior on its slope learned from the fleet: batteries fade faster the warmer they are kept.
/// </summary>
public sealed class BatteryEndOfLifeForecaster
{
    private readonly double priorLogSlopeIntercept;
    private readonly double priorLogSlopePerDegree;
    private readonly double priorLogSlopeDeviation;
    private readonly double testDeviation;

    private BatteryEndOfLifeForecaster(double intercept, double perDegree, double logDeviation, double testDeviation)
    {
        priorLogSlopeIntercept = intercept;
        priorLogSlopePerDegree = perDegree;
        priorLogSlopeDeviation = logDeviation;
        this.testDeviation = testDeviation;
    }

    /// <summary>The fleet's fade against temperature and the scatter of single tests, learned from every battery's tests up to <paramref name="asOf"/>.</summary>
    public static BatteryEndOfLifeForecaster Learn(IReadOnlyList<BatteryRecord> fleet, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        var temperatures = new List<double>();
        var logSlopes = new List<double>();
        double squares = 0;
        var degrees = 0;
        foreach (var battery in fleet)
        {
            var points = RuntimePoints(battery, asOf);
            if (points.Count < 4)
            {
                continue;
            }

            var trend = LinearTrend.Fit(points);
            squares += trend.ResidualDeviation * trend.ResidualDeviation * (points.Count - 2);
            degrees += points.Count - 2;
            if (trend.Slope < 0)
            {
                temperatures.Add(MeanTemperature(battery, asOf));
                logSlopes.Add(Math.Log(-trend.Slope));
            }
        }

        if (logSlopes.Count < 3)
        {
            throw new ArgumentException("the fleet needs at least three batteries with four tests each to learn from", nameof(fleet));
        }

        var (intercept, perDegree) = MathNet.Numerics.Fit.Line([.. temperatures], [.. logSlopes]);
        var spread = Math.Sqrt(temperatures.Select((t, i) => Math.Pow(logSlopes[i] - intercept - (perDegree * t), 2)).Sum() / Math.Max(1, logSlopes.Count - 2));
        return new BatteryEndOfLifeForecaster(intercept, perDegree, spread, Math.Sqrt(squares / Math.Max(1, degrees)));
    }

    /// <summary>The forecast for one battery, or null when its runtime is already below the rated duration at <paramref name="asOf"/>.</summary>
    public DateForecast? Forecast(BatteryRecord battery, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(battery);
        var points = RuntimePoints(battery, asOf);
        // The prior slope in minutes per year, and its spread (from the spread of the fleet's log slopes).
        var priorSlope = -Math.Exp(priorLogSlopeIntercept + (priorLogSlopePerDegree * MeanTemperature(battery, asOf)));
        var priorVariance = Math.Pow(priorSlope * priorLogSlopeDeviation, 2);
        var fit = BayesianLine(points, asOf, priorSlope, priorVariance, testDeviation * testDeviation);
        if (fit.Level < battery.RatedMinutes)
        {
            return null;
        }

        var (expected, low, high) = LimitCrossing.Find(asOf, Telemetry.Forecasting.Forecast.DateHorizon, battery.RatedMinutes, fit.ValueAt, fit.DeviationAt);
        return new DateForecast(battery.Device, ForecastKind.BatteryEndOfLife, asOf, expected, low, high);
    }

    /// <summary>The full runtime each test up to <paramref name="asOf"/> shows, and the runtime when new at installation.</summary>
    public static List<Observation> RuntimePoints(BatteryRecord battery, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(battery);
        var points = new List<Observation> { new(battery.Installed, PlantPhysics.FullRuntimeMinutes(battery.RatedMinutes, 1)) };
        foreach (var test in battery.Tests.Where(t => t.Time <= asOf))
        {
            var planned = test.Kind == BatteryTestKind.FullDuration ? battery.RatedMinutes : 60;
            var full = test.RuntimeMinutes < planned - 0.01
                ? test.RuntimeMinutes
                : test.RuntimeMinutes / Math.Max(PlantPhysics.DepthAt(test.EndVolts, battery.CutoffVolts), 0.05);
            points.Add(new Observation(test.Time, full));
        }

        return points;
    }

    private static double MeanTemperature(BatteryRecord battery, DateTimeOffset asOf)
    {
        var readings = battery.TemperaturesC.Where(t => t.Time <= asOf).ToList();
        return readings.Count > 0 ? readings.Average(t => t.Value) : 25;
    }

    /// <summary>A line with a normal prior on its slope (none on its level), origin at <paramref name="origin"/>.</summary>
    private static LinearTrend BayesianLine(IReadOnlyList<Observation> points, DateTimeOffset origin, double priorSlope, double priorVariance, double noiseVariance)
    {
        double s0 = 0, s1 = 0, s2 = 0, y0 = 0, y1 = 0;
        foreach (var point in points)
        {
            var x = (point.Time - origin).TotalDays / LinearTrend.DaysPerYear;
            s0 += 1;
            s1 += x;
            s2 += x * x;
            y0 += point.Value;
            y1 += x * point.Value;
        }

        // Posterior precision = data precision + prior precision on the slope.
        var a00 = s0 / noiseVariance;
        var a01 = s1 / noiseVariance;
        var a11 = (s2 / noiseVariance) + (1 / priorVariance);
        var b0 = y0 / noiseVariance;
        var b1 = (y1 / noiseVariance) + (priorSlope / priorVariance);
        var determinant = (a00 * a11) - (a01 * a01);
        var level = ((a11 * b0) - (a01 * b1)) / determinant;
        var slope = ((a00 * b1) - (a01 * b0)) / determinant;
        return new LinearTrend(origin, level, slope, a11 / determinant, a00 / determinant, -a01 / determinant, Math.Sqrt(noiseVariance));
    }
}
