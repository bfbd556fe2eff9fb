using System.Xml.Linq;
using Microsoft.Extensions.Localization;
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
    [Theory]
    [MemberData(nameof(LanguageWords.Languages), MemberType = typeof(LanguageWords))]
    public void Every_task_and_checklist_item_has_its_words(string language)
    {
        var text = new StringLocalizer<MaintenanceText>(LanguageWords.Localizers());
        var keys = Enum.GetValues<MaintenanceTask>().Select(t => "Task." + t.ToName())
            .Concat(Enum.GetValues<MaintenanceTask>().SelectMany(t => t.Checklist()).Distinct(StringComparer.Ordinal).Select(c => "Checklist." + c));
        LanguageWords.AssertAllFound(language, keys, k => text[k] is { ResourceNotFound: false } found ? found.Value : null);
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
