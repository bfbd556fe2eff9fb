namespace Telemetry.Api.Web;

/// <summary>The web app's shared words (<c>WebText.resx</c>, <c>WebText.zh-CN.resx</c>): the trade's names of families, faults, states, grades and zones.</summary>
public sealed class WebText;
