namespace Telemetry.Api.Web.Forecasts;

/// <summary>The words of the forecasts page and of forecast sentences (<c>ForecastText.resx</c>, <c>ForecastText.zh-CN.resx</c>).</summary>
public sealed class ForecastText;
