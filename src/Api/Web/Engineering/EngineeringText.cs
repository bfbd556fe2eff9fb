namespace Telemetry.Api.Web.Engineering;

/// <summary>The engineer's pages' words (<c>EngineeringText.resx</c>, <c>EngineeringText.zh-CN.resx</c>): thresholds, backtests, battery tests.</summary>
public sealed class EngineeringText;
