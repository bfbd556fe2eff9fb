using Telemetry.Forecasting.Insulation;
using Telemetry.Forecasting.Numerics;

namespace Telemetry.Forecasting.Tests.Insulation;

public sealed class InsulationTimeToLimitForecasterTests
{
    private static readonly DateTimeOffset Start = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Daily readings decaying with time constant <paramref name="ageingYears"/> from <paramref name="newMohm"/>, scattered by 1 % (seeded).</summary>
    internal static InsulationRecord Box(string device, double newMohm, double ageingYears, int days, int seed)
    {
        var random = new Random(seed);
        var readings = Enumerable.Range(0, days)
            .Select(d => new Observation(Start.AddDays(d), newMohm * Math.Exp(-d / 365.25 / ageingYears) * Math.Exp(0.01 * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()))))
            .ToList();
        return new InsulationRecord(device, readings);
    }

    [Fact]
    public void A_box_decaying_without_season_is_forecast_to_cross_the_limit_near_the_true_date()
    {
        // 50 MΩ with a one-year time constant reaches 0.5 MΩ after ln(100) = 4.6 years.
        var plant = Enumerable.Range(0, 10).Select(i => Box($"box-{i}", 50, 1 + (i * 0.5), 3 * 365, i)).ToList();
        var asOf = Start.AddDays((3 * 365) - 1);
        var forecaster = InsulationTimeToLimitForecaster.Learn(plant, asOf);

        var forecast = forecaster.Forecast(plant[0], asOf);

        var truth = Start.AddDays(Math.Log(100) * 365.25);
        Assert.NotNull(forecast);
        Assert.Equal(ForecastKind.InsulationTimeToLimit, forecast.Kind);
        // The forecaster takes scatter for weather, in which one low day can cross first: it may come a few days early.
        Assert.InRange((truth - forecast.Expected).TotalDays, -1, 10);
        Assert.True(forecast.Low <= truth && forecast.High >= truth.AddDays(-7), $"{forecast} truth {truth}");
    }

    [Fact]
    public void A_box_below_the_limit_already_gets_no_forecast()
    {
        var plant = new[] { Box("box-1", 0.4, 5, 365, 1), Box("box-2", 50, 2, 365, 2) };
        var forecaster = InsulationTimeToLimitForecaster.Learn(plant, Start.AddDays(364));

        Assert.Null(forecaster.Forecast(plant[0], Start.AddDays(364)));
    }

    [Fact]
    public void The_same_readings_give_the_same_forecast()
    {
        var plant = Enumerable.Range(0, 5).Select(i => Box($"box-{i}", 30, 1 + i, 2 * 365, i)).ToList();
        var asOf = Start.AddDays(729);

        var first = InsulationTimeToLimitForecaster.Learn(plant, asOf).Forecast(plant[1], asOf);
        var second = InsulationTimeToLimitForecaster.Learn(plant, asOf).Forecast(plant[1], asOf);

        Assert.Equal(first, second);
    }

    [Fact]
    public void The_last_two_points_baseline_extends_the_line_through_readings_a_year_apart()
    {
        // 10 MΩ a year ago, 6 MΩ now: 4 MΩ a year, so 0.5 MΩ in (6 − 0.5) / 4 = 1.375 years.
        var box = new InsulationRecord("box-1", [new Observation(Start, 10), new Observation(Start.AddDays(200), 3), new Observation(Start.AddDays(365), 6)]);

        var crossing = LastTwoPointsTrend.Crossing(box, Start.AddDays(365), 0.5, TimeSpan.FromDays(5000));

        Assert.Equal(Start.AddDays(365 + (1.375 * 365)), crossing);
    }
}
