namespace Telemetry.Api.Web.Reports;

/// <summary>The report pages' words (<c>ReportsText.resx</c>, <c>ReportsText.zh-CN.resx</c>): the monthly report.</summary>
public sealed class ReportsText;
