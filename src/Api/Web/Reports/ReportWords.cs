using System.Globalization;

namespace Telemetry.Api.Web.Reports;

/// <summary>How the report page writes its numbers: rates as percentages to 0.1 %, hours to 0.1 h.</summary>
public static class ReportWords
{
    /// <summary>A rate as <c>97.6 %</c>; <paramref name="none"/> when there is none.</summary>
    public static string Percent(double? rate, string none) =>
        rate is { } r ? (r * 100).ToString("0.0", CultureInfo.CurrentCulture) + " %" : none;

    public static string Hours(double? hours, string none) =>
        hours is { } h ? h.ToString("0.0", CultureInfo.CurrentCulture) + " h" : none;

    /// <summary>A unit's asset key without the site and gateway when they are the only ones: <c>sc-01/1</c>.</summary>
    public static string Unit(string asset)
    {
        ArgumentNullException.ThrowIfNull(asset);
        var parts = asset.Split('/');
        return parts.Length > 2 ? string.Join('/', parts.Skip(2)) : asset;
    }
}
