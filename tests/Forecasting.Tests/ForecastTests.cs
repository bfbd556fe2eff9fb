using System.Globalization;

namespace Telemetry.Forecasting.Tests;

public sealed class ForecastTests
{
    private static readonly DateTimeOffset AsOf = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly ForecastWording English = new(
        CultureInfo.InvariantCulture,
        "{0} will fail its yearly test around {1}, 80 % interval {2} to {3}",
        "{0} will fall below 0.5 MΩ around {1}, 80 % interval {2} to {3}",
        "{0}: about {1} lamps will go dark in the next 30 days (80 % interval {2} to {3})");

    private static readonly ForecastWording Chinese = new(
        CultureInfo.InvariantCulture,
        "{0} 预计在 {1} 前后年度放电试验不合格（80% 区间 {2} 至 {3}）",
        "{0} 绝缘电阻预计在 {1} 前后低于 0.5 MΩ（80% 区间 {2} 至 {3}）",
        "{0}：未来 30 天预计约 {1} 盏灯熄灭（80% 区间 {2} 至 {3} 盏）");

    [Fact]
    public void A_battery_forecast_reads_as_a_sentence_with_months_in_english_and_in_chinese()
    {
        var forecast = new DateForecast("eps-02", ForecastKind.BatteryEndOfLife, AsOf,
            new DateTimeOffset(2027, 3, 10, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2027, 1, 5, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2027, 5, 20, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal("eps-02 will fail its yearly test around 2027-03, 80 % interval 2027-01 to 2027-05", forecast.Sentence(English));
        Assert.Equal("eps-02 预计在 2027-03 前后年度放电试验不合格（80% 区间 2027-01 至 2027-05）", forecast.Sentence(Chinese));
    }

    [Fact]
    public void A_lamp_forecast_reads_its_expected_count_and_interval()
    {
        var forecast = new CountForecast("mast-07", ForecastKind.LampFailures, AsOf, TimeSpan.FromDays(30), 2.34, 1, 4);

        Assert.Equal("mast-07: about 2.3 lamps will go dark in the next 30 days (80 % interval 1 to 4)", forecast.Sentence(English));
        Assert.True(forecast.Covers(4));
        Assert.False(forecast.Covers(5));
    }
}
