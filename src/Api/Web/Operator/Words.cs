using Microsoft.Extensions.Localization;

namespace Telemetry.Api.Web.Operator;

/// <summary>The shared trade words of <see cref="WebText"/> for names the Api gives: a name no resource has is shown as it is.</summary>
public static class Words
{
    public static string Fault(this IStringLocalizer<WebText> words, string fault) => Of(words, "Fault." + fault, fault);

    public static string Status(this IStringLocalizer<WebText> words, string status) => Of(words, "Status." + status, status);

    public static string Family(this IStringLocalizer<WebText> words, string? family) => family is null ? words["Word.Unknown"] : Of(words, "Family." + family, family);

    public static string Grade(this IStringLocalizer<WebText> words, int grade) => Of(words, "Grade." + grade.ToString(System.Globalization.CultureInfo.InvariantCulture), grade.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The words of a deadline kind as the Api names it (<c>response</c>, <c>arrival</c>, <c>fix</c>).</summary>
    public static string Deadline(this IStringLocalizer<WebText> words, string kind) => kind switch
    {
        "response" => words["Word.Respond"],
        "arrival" => words["Word.Arrive"],
        _ => words["Word.Fix"],
    };

    private static string Of(IStringLocalizer<WebText> words, string key, string fallback)
    {
        ArgumentNullException.ThrowIfNull(words);
        var found = words[key];
        return found.ResourceNotFound ? fallback : found.Value;
    }
}
