namespace Telemetry.Api.Web.Maintenance;

/// <summary>The words of the maintenance calendar (<c>MaintenanceText.resx</c>, <c>MaintenanceText.zh-CN.resx</c>).</summary>
public sealed class MaintenanceText;
