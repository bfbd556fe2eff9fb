using Microsoft.Extensions.Localization;
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
    [Theory]
    [MemberData(nameof(LanguageWords.Languages), MemberType = typeof(LanguageWords))]
    public void Every_point_of_every_profile_has_its_words(string language)
    {
        var words = new PointWords(new StringLocalizer<DevicesText>(LanguageWords.Localizers()));
        var points = ProfileLoader.LoadDirectory(Path.Combine(RepositoryPaths.Hardware, "profiles"))
            .SelectMany(p => p.Points.Select(point => point.Name))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);

        // A point without words shows its own name.
        LanguageWords.AssertAllFound(language, points, point => words.Name(point) is var name && name != point ? name : null);
    }
}
