using System.Globalization;
using System.Text;
using Telemetry.Contracts;
using Telemetry.Maintenance.Thresholds;

namespace Telemetry.Rules.Evaluation;

/// <summary>
/// The fault table of the README, written from a rule set's own declarations: every fault type with its rule, the
/// families and signals it reads, its thresholds with their defaults, its debounce, grade and why, and what clears it.
/// A test compares it with the README, so the two cannot drift.
/// </summary>
public static class FaultTable
{
    /// <summary>The line before the table in the README.</summary>
    public const string Begin = "<!-- fault table: generated from the rule catalogue, see FaultTableTests -->";

    /// <summary>The line after the table in the README.</summary>
    public const string End = "<!-- end of fault table -->";

    /// <summary>The table as Markdown, one row per fault type, in registration order.</summary>
    public static string Markdown(RuleSet rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var text = new StringBuilder();
        text.AppendLine("| Fault | Rule | Families: signals | Thresholds (default) | Debounce | Clears | Grade | Why this grade |");
        text.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var rule in rules.All)
        {
            foreach (var sheet in rule.Faults)
            {
                text.Append(CultureInfo.InvariantCulture, $"| `{sheet.Fault.Name}` | `{rule.Name}` | {Families(rule)}: {Cell(rule.Signals)} | ")
                    .Append(CultureInfo.InvariantCulture, $"{Thresholds(rule)} | {Cell(rule.Debounce)} | {Cell(rule.Clears)} | {Cell(sheet.Grade)} | {Cell(sheet.Why)} |")
                    .AppendLine();
            }
        }

        return text.ToString();
    }

    private static string Families(Rule rule) =>
        rule.Families.Count == Enum.GetValues<DeviceFamily>().Length
            ? rule.Scope == RuleScope.Gateway ? "gateway" : "every family"
            : string.Join(", ", rule.Families.Select(f => f.ToContractName().Replace('_', ' ')));

    private static string Thresholds(Rule rule) =>
        rule.Thresholds.Count == 0 ? "none" : string.Join(", ", rule.Thresholds.Select(Threshold));

    private static string Threshold(ThresholdParameter parameter)
    {
        var value = parameter.Default.ToString(CultureInfo.InvariantCulture);
        var unit = parameter.Unit.Length == 0 ? "" : " " + parameter.Unit;
        return $"`{parameter.Name}` {value}{unit}";
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");
}
