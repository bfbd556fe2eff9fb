using ClosedXML.Excel;

namespace Telemetry.Api.Reports;

/// <summary>
/// A monthly report as an Excel workbook: a sheet of the <see cref="MonthlyReportFigures"/> figures (the same keys and
/// values as the CSV), a sheet of the lighting units, and one of the repeat repairs.
/// </summary>
public static class MonthlyReportWorkbook
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static byte[] Write(MonthlyReportView report)
    {
        ArgumentNullException.ThrowIfNull(report);
        using var workbook = new XLWorkbook();

        var figures = workbook.Worksheets.Add("figures");
        Row(figures, 1, "month", report.Month);
        Row(figures, 2, "scope", report.Scope);
        Row(figures, 3, "time_zone", report.TimeZone);
        Row(figures, 4, "figure", "value");
        var row = 5;
        foreach (var figure in MonthlyReportFigures.Of(report))
        {
            figures.Cell(row, 1).Value = figure.Key;
            if (figure.Value is { } value)
            {
                figures.Cell(row, 2).Value = value;
            }

            row++;
        }

        figures.Column(1).Width = 32;
        figures.Column(2).Width = 14;

        var units = workbook.Worksheets.Add("units");
        Row(units, 1, "unit", "crew", "lighting_rate_percent", "due_hours", "lamp_hours_due", "lamp_hours_lit", "unmonitored_hours");
        row = 2;
        foreach (var unit in report.Lighting.Units)
        {
            units.Cell(row, 1).Value = unit.Asset;
            units.Cell(row, 2).Value = unit.Crew ?? "";
            if (MonthlyReportFigures.Percent(unit.Rate) is { } percent)
            {
                units.Cell(row, 3).Value = percent;
            }

            units.Cell(row, 4).Value = unit.DueHours;
            units.Cell(row, 5).Value = unit.LampHoursDue;
            units.Cell(row, 6).Value = unit.LampHoursLit;
            units.Cell(row, 7).Value = unit.UnmonitoredHours;
            row++;
        }

        units.Column(1).Width = 36;

        var repeats = workbook.Worksheets.Add("repeat_repairs");
        Row(repeats, 1, "repeat_repair", "repeat_of", "asset", "fault", "opened_at");
        row = 2;
        foreach (var repeat in report.RepeatRepairs)
        {
            Row(repeats, row++, repeat.Ticket, repeat.RepeatOf, repeat.Asset, repeat.Fault, repeat.OpenedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        }

        using var stream = new MemoryStream();
        workbook.SaveAs(stream);
        return stream.ToArray();
    }

    // Text cells, set as text so that nothing in them is read as a number, a date or a formula.
    private static void Row(IXLWorksheet sheet, int row, params string[] cells)
    {
        for (var column = 0; column < cells.Length; column++)
        {
            sheet.Cell(row, column + 1).SetValue(cells[column]);
        }
    }
}
