using System.Globalization;
using System.Text;

namespace Telemetry.Api.Reports;

/// <summary>
/// A monthly report as CSV (RFC 4180, UTF-8): a header naming the month, scope and time zone, then one
/// <c>figure,value</c> line per <see cref="MonthlyReportFigures"/> figure, then the repeat repairs and the units.
/// </summary>
public static class MonthlyReportCsv
{
    public static string Write(MonthlyReportView report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var csv = new StringBuilder();
        Line(csv, "month", report.Month);
        Line(csv, "scope", report.Scope);
        Line(csv, "time_zone", report.TimeZone);
        Line(csv, "figure", "value");
        foreach (var figure in MonthlyReportFigures.Of(report))
        {
            Line(csv, figure.Key, figure.Value?.ToString("0.###", CultureInfo.InvariantCulture) ?? "");
        }

        csv.Append("\r\n");
        Line(csv, "repeat_repair", "repeat_of", "asset", "fault", "opened_at");
        foreach (var repeat in report.RepeatRepairs)
        {
            Line(csv, repeat.Ticket, repeat.RepeatOf, repeat.Asset, repeat.Fault, repeat.OpenedAt.ToString("O", CultureInfo.InvariantCulture));
        }

        csv.Append("\r\n");
        Line(csv, "unit", "crew", "lighting_rate_percent", "due_hours", "lamp_hours_due", "lamp_hours_lit", "unmonitored_hours");
        foreach (var unit in report.Lighting.Units)
        {
            Line(csv, unit.Asset, unit.Crew ?? "", Number(MonthlyReportFigures.Percent(unit.Rate)), Number(unit.DueHours), Number(unit.LampHoursDue),
                Number(unit.LampHoursLit), Number(unit.UnmonitoredHours));
        }

        return csv.ToString();
    }

    private static string Number(double? value) => value?.ToString("0.###", CultureInfo.InvariantCulture) ?? "";

    internal static void Line(StringBuilder csv, params string[] cells)
    {
        csv.AppendJoin(',', cells.Select(Quote)).Append("\r\n");
    }

    // Quoted when needed, and a cell a spreadsheet would run as a formula is prefixed with an apostrophe.
    private static string Quote(string cell)
    {
        if (cell.Length > 0 && cell[0] is '=' or '+' or '@' or '\t' or '\r' || (cell.Length > 1 && cell[0] == '-' && !char.IsDigit(cell[1])))
        {
            cell = "'" + cell;
        }

        return cell.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{cell.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : cell;
    }
}
