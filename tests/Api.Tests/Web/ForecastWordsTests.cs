using System.Globalization;
using System.Xml.Linq;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Telemetry.Api.Web;
using Telemetry.Api.Web.Maintenance;
using Telemetry.Maintenance.WorkOrders;
using Telemetry.Testing;

namespace Telemetry.Api.Tests.Web;

/// <summary>
/// The predictive maintenance words are in both languages: every task and checklist item on the maintenance calendar
/// (the predictive ones with them), and every word of the forecasts page in both of its resource files.
/// </summary>
public sealed class ForecastWordsTests
{
    public static TheoryData<string> Languages() => [.. WebApp.Cultures.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Languages))]
    public void Every_task_and_checklist_item_has_its_words(string language)
    {
        var factory = new ResourceManagerStringLocalizerFactory(Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance);
        var text = new StringLocalizer<MaintenanceText>(factory);
        var before = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(language);
            var keys = Enum.GetValues<MaintenanceTask>().Select(t => "Task." + t.ToName())
                .Concat(Enum.GetValues<MaintenanceTask>().SelectMany(t => t.Checklist()).Distinct(StringComparer.Ordinal).Select(c => "Checklist." + c));
            var missing = keys.Where(k => text[k] is { ResourceNotFound: true } || (language == "zh-CN" && !text[k].Value.Any(c => c is >= '\u4e00' and <= '\u9fff'))).ToList();
            Assert.True(missing.Count == 0, $"no {language} words for: {string.Join(", ", missing)}");
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    [Fact]
    public void The_forecasts_page_has_the_same_words_in_both_files()
    {
        static IEnumerable<string> Keys(string file) =>
            XDocument.Load(Path.Combine(RepositoryPaths.Root, "src", "Api", "Web", "Forecasts", file)).Root!.Elements("data").Select(d => (string)d.Attribute("name")!).Order(StringComparer.Ordinal);

        Assert.Equal(Keys("ForecastText.resx"), Keys("ForecastText.zh-CN.resx"));
        Assert.Contains("Sentence.battery_end_of_life", Keys("ForecastText.resx"));
    }
}
