using MathNet.Numerics.LinearAlgebra;

namespace Telemetry.Forecasting.Numerics;

/// <summary>
/// A straight line fitted by least squares, value = level + slope × (years since <see cref="Origin"/>), with the
/// covariance of its two coefficients, so the uncertainty of the line anywhere can be given.
/// </summary>
public sealed record LinearTrend(DateTimeOffset Origin, double Level, double Slope, double LevelVariance, double SlopeVariance, double Covariance, double ResidualDeviation)
{
    public const double DaysPerYear = 365.25;

    /// <summary>Years from <see cref="Origin"/> to <paramref name="time"/>.</summary>
    public double Years(DateTimeOffset time) => (time - Origin).TotalDays / DaysPerYear;

    /// <summary>The line's value at <paramref name="time"/>.</summary>
    public double ValueAt(DateTimeOffset time) => Level + (Slope * Years(time));

    /// <summary>The standard deviation of the line's value at <paramref name="time"/> (the fit's uncertainty, not the scatter of readings).</summary>
    public double DeviationAt(DateTimeOffset time)
    {
        var x = Years(time);
        return Math.Sqrt(Math.Max(0, LevelVariance + (x * x * SlopeVariance) + (2 * x * Covariance)));
    }

    /// <summary>Fits a line through <paramref name="points"/> (at least two distinct times), origin at the last point.</summary>
    /// <exception cref="ArgumentException">Fewer than two distinct times.</exception>
    public static LinearTrend Fit(IReadOnlyList<Observation> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count < 2 || points.All(p => p.Time == points[0].Time))
        {
            throw new ArgumentException("a trend needs at least two readings at different times", nameof(points));
        }

        var origin = points.Max(p => p.Time);
        var design = Matrix<double>.Build.Dense(points.Count, 2, (row, column) => column == 0 ? 1 : (points[row].Time - origin).TotalDays / DaysPerYear);
        var values = Vector<double>.Build.Dense(points.Count, row => points[row].Value);
        var normal = design.TransposeThisAndMultiply(design);
        var coefficients = normal.Solve(design.TransposeThisAndMultiply(values));
        var residuals = values - (design * coefficients);
        var degrees = points.Count - 2;
        // With two points the scatter is unknown; the caller's prior (or baseline) has to carry the uncertainty.
        var variance = degrees > 0 ? residuals.DotProduct(residuals) / degrees : 0;
        var covariance = normal.Inverse() * variance;
        return new LinearTrend(origin, coefficients[0], coefficients[1], covariance[0, 0], covariance[1, 1], covariance[0, 1], Math.Sqrt(variance));
    }
}
