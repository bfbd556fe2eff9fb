using System.Globalization;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Telemetry.Api.Web;
using Telemetry.Api.Web.Devices;
using Telemetry.Devices.Profiles;
using Telemetry.Testing;

namespace Telemetry.Api.Tests.Web;

/// <summary>
/// Every point a device profile reads has its name in both of the app's languages: the device page shows no raw value
/// name, and the Chinese page no English one (a word missing from the Chinese file falls back to the English).
/// </summary>
public sealed class PointWordsTests
{
    public static TheoryData<string> Languages() => [.. WebApp.Cultures.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Languages))]
    public void Every_point_of_every_profile_has_its_words(string language)
    {
        var factory = new ResourceManagerStringLocalizerFactory(Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance);
        var words = new PointWords(new StringLocalizer<DevicesText>(factory));
        var profiles = ProfileLoader.LoadDirectory(Path.Combine(RepositoryPaths.Hardware, "profiles"));
        var before = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(language);
            var missing = profiles
                .SelectMany(p => p.Points.Select(point => point.Name))
                .Distinct(StringComparer.Ordinal)
                .Where(point => words.Name(point) is var name && (name == point || (language == "zh-CN" && !name.Any(c => c is >= '\u4e00' and <= '\u9fff'))))
                .Order(StringComparer.Ordinal)
                .ToList();
            Assert.True(missing.Count == 0, $"no {language} words for: {string.Join(", ", missing)}");
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }
}
