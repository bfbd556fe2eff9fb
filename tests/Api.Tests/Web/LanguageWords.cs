using System.Globalization;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Telemetry.Api.Web;

namespace Telemetry.Api.Tests.Web;

/// <summary>
/// What the tests of the app's words share: its languages, resource files read as the app reads them, and the check
/// that words are found in a language (and in Chinese are Chinese, since a missing Chinese word falls back to the English).
/// </summary>
public static class LanguageWords
{
    public static TheoryData<string> Languages() => [.. WebApp.Cultures.Select(c => c.Name)];

    /// <summary>Localizers on the app's resource files, as the app makes them.</summary>
    public static IStringLocalizerFactory Localizers() =>
        new ResourceManagerStringLocalizerFactory(Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance);

    /// <summary>
    /// Asserts that each of <paramref name="keys"/> has its words in <paramref name="language"/>: <paramref name="wordsOf"/>
    /// is asked with the UI culture switched to the language, and answers null for words it has not found.
    /// </summary>
    public static void AssertAllFound(string language, IEnumerable<string> keys, Func<string, string?> wordsOf)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(wordsOf);
        var before = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(language);
            var missing = keys.Where(k => wordsOf(k) is not { } words || (language == "zh-CN" && !words.Any(c => c is >= '\u4e00' and <= '\u9fff'))).ToList();
            Assert.True(missing.Count == 0, $"no {language} words for: {string.Join(", ", missing)}");
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }
}
