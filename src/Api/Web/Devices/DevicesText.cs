namespace Telemetry.Api.Web.Devices;

/// <summary>The device page's words (<c>DevicesText.resx</c>, <c>DevicesText.zh-CN.resx</c>): point names as the trade says them, the trend chart's and the manual opening's words.</summary>
public sealed class DevicesText;
