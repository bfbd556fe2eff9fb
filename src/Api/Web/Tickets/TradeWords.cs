using Microsoft.Extensions.Localization;

namespace Telemetry.Api.Web.Tickets;

/// <summary>The shared trade words of <see cref="WebText"/> for a ticket's names, the name itself when the words lack it (a fault a newer rule declares).</summary>
public static class TradeWords
{
    public static string Fault(this IStringLocalizer<WebText> words, string fault) => Word(words, "Fault." + fault, fault);

    public static string Status(this IStringLocalizer<WebText> words, string status) => Word(words, "Status." + status, status);

    public static string Grade(this IStringLocalizer<WebText> words, int grade) => Word(words, "Grade." + grade.ToString(System.Globalization.CultureInfo.InvariantCulture), grade.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static string Family(this IStringLocalizer<WebText> words, string? family) => family is null ? "" : Word(words, "Family." + family, family);

    public static string Zone(this IStringLocalizer<WebText> words, string zone) => Word(words, "Zone." + zone, zone);

    /// <summary>The text colour of a grade, readable on white (WCAG AA), as the app's style sheet has it.</summary>
    public static string GradeColour(int grade) => grade switch
    {
        1 => "#b3261e",
        2 => "#8a4b00",
        3 => "#0b5394",
        _ => "#5f6368",
    };

    private static string Word(IStringLocalizer<WebText> words, string key, string fallback)
    {
        ArgumentNullException.ThrowIfNull(words);
        var found = words[key];
        return found.ResourceNotFound ? fallback : found.Value;
    }
}
