using System.Globalization;
using System.Text;
using ClosedXML.Excel;

namespace Telemetry.Api.Reports;

/// <summary>
/// A half-yearly fault analysis as CSV (RFC 4180, UTF-8, cells quoted as the monthly report's) and as an Excel
/// workbook: the Pareto of causes, the Pareto of assets and the repairs per family and model, each with the half before.
/// </summary>
public static class FaultAnalysisExport
{
    private static readonly string[] ParetoColumns = ["repairs", "share_percent", "cumulative_percent", "previous_repairs"];
    private static readonly string[] ModelColumns = ["family", "model", "repairs", "previous_repairs", "top_cause"];

    public static string Csv(FaultAnalysisView analysis)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        var csv = new StringBuilder();
        MonthlyReportCsv.Line(csv, "half", analysis.Half);
        MonthlyReportCsv.Line(csv, "scope", analysis.Scope);
        MonthlyReportCsv.Line(csv, "repairs", Number(analysis.Repairs));
        MonthlyReportCsv.Line(csv, "previous_repairs", Number(analysis.PreviousRepairs));
        foreach (var (name, entries) in new[] { ("cause", analysis.Causes), ("asset", analysis.Assets) })
        {
            csv.Append("\r\n");
            MonthlyReportCsv.Line(csv, [name, .. ParetoColumns]);
            foreach (var entry in entries)
            {
                MonthlyReportCsv.Line(csv, entry.Name, Number(entry.Repairs), Percent(entry.Share), Percent(entry.CumulativeShare), Number(entry.PreviousRepairs));
            }
        }

        csv.Append("\r\n");
        MonthlyReportCsv.Line(csv, ModelColumns);
        foreach (var model in analysis.Models)
        {
            MonthlyReportCsv.Line(csv, model.Family, model.Model, Number(model.Repairs), Number(model.PreviousRepairs), model.TopCause ?? "");
        }

        return csv.ToString();
    }

    public static byte[] Workbook(FaultAnalysisView analysis)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        using var workbook = new XLWorkbook();
        foreach (var (name, entries) in new[] { ("causes", analysis.Causes), ("assets", analysis.Assets) })
        {
            var sheet = workbook.Worksheets.Add(name);
            Text(sheet, 1, [name[..^1], .. ParetoColumns]);
            var row = 2;
            foreach (var entry in entries)
            {
                sheet.Cell(row, 1).SetValue(entry.Name);
                sheet.Cell(row, 2).Value = entry.Repairs;
                sheet.Cell(row, 3).Value = Math.Round(entry.Share * 100, 1);
                sheet.Cell(row, 4).Value = Math.Round(entry.CumulativeShare * 100, 1);
                sheet.Cell(row, 5).Value = entry.PreviousRepairs;
                row++;
            }

            sheet.Column(1).Width = 40;
        }

        var models = workbook.Worksheets.Add("models");
        Text(models, 1, ModelColumns);
        for (var i = 0; i < analysis.Models.Count; i++)
        {
            var model = analysis.Models[i];
            Text(models, i + 2, [model.Family, model.Model]);
            models.Cell(i + 2, 3).Value = model.Repairs;
            models.Cell(i + 2, 4).Value = model.PreviousRepairs;
            models.Cell(i + 2, 5).SetValue(model.TopCause ?? "");
        }

        using var stream = new MemoryStream();
        workbook.SaveAs(stream);
        return stream.ToArray();
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Percent(double share) => Math.Round(share * 100, 1).ToString("0.#", CultureInfo.InvariantCulture);

    // Text cells, set as text so that nothing in them is read as a number, a date or a formula.
    private static void Text(IXLWorksheet sheet, int row, string[] cells)
    {
        for (var column = 0; column < cells.Length; column++)
        {
            sheet.Cell(row, column + 1).SetValue(cells[column]);
        }
    }
}
