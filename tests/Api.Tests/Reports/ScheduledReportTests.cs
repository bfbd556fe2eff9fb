using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using ClosedXML.Excel;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Telemetry.Api.Plant;
using Telemetry.Api.Reports;
using Telemetry.Api.Tests.Access;
using Telemetry.Hosting;
using Telemetry.Maintenance.Storage;
using Telemetry.Testing;

namespace Telemetry.Api.Tests.Reports;

/// <summary>
/// The reports the schedule stores after a month ends, on <see cref="MonthlyReportPlant"/>'s November (Asia/Shanghai),
/// with the schedule's clock set by each test; and the archive that serves them.
/// </summary>
public sealed class ScheduledReportTests(MonthlyReportPlant plant) : IClassFixture<MonthlyReportPlant>
{
    // The demo plant: the service unit, its one site, and the four crews its site file names.
    private static readonly string[] Scopes = ["unit", "site:demo", "crew:crew-central", "crew:crew-masts", "crew:crew-north", "crew:crew-west"];

    [Fact]
    public async Task Crossing_six_on_the_1st_stores_the_month_once_for_the_unit_each_site_and_each_crew()
    {
        var database = NewDatabase();
        var clock = new FakeTimeProvider(MonthlyReportPlant.At(12, 1, 5, 59));
        var generator = Generator(clock, database);

        await generator.GenerateDueAsync(CancellationToken.None);
        Assert.Empty(await StoredAsync(database, "2026-11"));

        clock.SetUtcNow(MonthlyReportPlant.At(12, 1, 6));
        Assert.Equal(Scopes.Length, await generator.GenerateDueAsync(CancellationToken.None));
        Assert.Equal(Scopes.Order(StringComparer.Ordinal), (await StoredAsync(database, "2026-11")).Select(e => e.Scope).Order(StringComparer.Ordinal));
        Assert.All(await StoredAsync(database, "2026-11"), e => Assert.Equal(StoredReportKind.Monthly, e.Kind));

        // Again, and after a restart (a new generator on the same database): nothing made twice.
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await generator.GenerateDueAsync(CancellationToken.None));
        Assert.Equal(0, await Generator(clock, database).GenerateDueAsync(CancellationToken.None));
        Assert.Equal(Scopes.Length, (await StoredAsync(database, "2026-11")).Count);
        Assert.Equal(HealthStatus.Healthy, generator.Verdict.Status);
    }

    [Fact]
    public async Task Months_missed_while_the_Api_was_down_are_made_at_the_next_start_and_not_the_month_still_running()
    {
        var database = NewDatabase();
        var generator = Generator(new FakeTimeProvider(MonthlyReportPlant.Now), database, catchUpMonths: 3);

        Assert.Equal(3 * Scopes.Length, await generator.GenerateDueAsync(CancellationToken.None));

        var stored = await new StoredReports(new SqliteDatabase(database)).ListAsync(null, null, null, StoredReports.MaxLimit, CancellationToken.None);
        Assert.Equal(["2026-11", "2026-10", "2026-09"], stored.Select(e => e.Period).Distinct());
        Assert.DoesNotContain(stored, e => e.Kind == StoredReportKind.FaultAnalysis);
    }

    [Fact]
    public async Task The_1st_of_January_also_stores_the_half_years_fault_analysis()
    {
        var database = NewDatabase();
        var generator = Generator(new FakeTimeProvider(new DateTimeOffset(2027, 1, 1, 6, 0, 0, MonthlyReportPlant.Local)), database);

        await generator.GenerateDueAsync(CancellationToken.None);

        var analyses = await new StoredReports(new SqliteDatabase(database)).ListAsync(
            StoredReportKind.FaultAnalysis, null, null, StoredReports.MaxLimit, CancellationToken.None);
        Assert.Equal(Scopes.Order(StringComparer.Ordinal), analyses.Select(e => e.Scope).Order(StringComparer.Ordinal));
        Assert.All(analyses, e => Assert.Equal("2026-H2", e.Period));
        Assert.Equal(Scopes.Length, (await StoredAsync(database, "2026-12")).Count);
    }

    [Fact]
    public async Task The_stored_figures_are_those_of_the_report_on_demand()
    {
        var database = NewDatabase();
        await Generator(new FakeTimeProvider(MonthlyReportPlant.At(12, 1, 6)), database).GenerateDueAsync(CancellationToken.None);
        var store = new StoredReports(new SqliteDatabase(database));
        using var client = plant.As("operator.zhang");

        foreach (var entry in await StoredAsync(database, "2026-11"))
        {
            var query = entry.Scope switch
            {
                "unit" => "",
                var s when s.StartsWith("site:", StringComparison.Ordinal) => "&site=" + s[5..],
                var s => "&crew=" + s[5..],
            };
            var onDemand = await client.GetFromJsonAsync<JsonNode>($"/api/reports/monthly?month=2026-11{query}");
            var stored = JsonNode.Parse((await store.FindAsync(entry.Id, CancellationToken.None))!.Json);
            Assert.True(JsonNode.DeepEquals(onDemand, stored), $"{entry.Scope}: stored {stored} but on demand {onDemand}");
        }
    }

    [Fact]
    public async Task With_the_readings_store_down_nothing_is_stored_the_failures_are_counted_and_the_next_run_stores_them()
    {
        var database = NewDatabase();
        var clock = new FakeTimeProvider(MonthlyReportPlant.At(12, 1, 7));
        var generator = Generator(clock, database);

        await plant.Influx.StopAsync();
        try
        {
            Assert.Equal(0, await generator.GenerateDueAsync(CancellationToken.None));
            Assert.Empty(await StoredAsync(database, "2026-11"));
            Assert.Equal(HealthStatus.Degraded, generator.Verdict.Status);
            var counters = Counters(generator);
            Assert.Equal(Scopes.Length, counters.GetProperty("failed").GetInt32());
            Assert.Equal(Scopes.Length, counters.GetProperty("pending").GetInt32());
        }
        finally
        {
            await plant.Influx.StartAgainAsync();
        }

        clock.Advance(TimeSpan.FromMinutes(15));
        Assert.Equal(Scopes.Length, await generator.GenerateDueAsync(CancellationToken.None));
        Assert.Equal(Scopes.Length, (await StoredAsync(database, "2026-11")).Count);
        Assert.Equal(HealthStatus.Healthy, generator.Verdict.Status);
        Assert.Equal(0, Counters(generator).GetProperty("pending").GetInt32());
        Assert.Equal(Scopes.Length, Counters(generator).GetProperty("stored").GetInt32());
    }

    [Fact]
    public async Task The_health_document_counts_the_schedule()
    {
        using var client = plant.As("operator.zhang");

        // 503 here: this plant runs without a broker; the document is written all the same.
        using var response = await client.GetAsync("/healthz");
        var health = await response.Content.ReadFromJsonAsync<JsonElement>();

        var schedule = health.GetProperty("scheduled_reports");
        Assert.True(schedule.TryGetProperty("failed", out _), schedule.ToString());
        Assert.True(schedule.TryGetProperty("stored", out _), schedule.ToString());
        Assert.Equal("healthy", schedule.GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_archive_lists_newest_first_and_serves_each_stored_report_as_json_and_workbook()
    {
        await StoreInApiAsync();
        using var client = plant.As("operator.zhang");

        var all = await client.GetFromJsonAsync<JsonElement>("/api/reports/archive");
        var periods = all.EnumerateArray().Select(e => e.GetProperty("period").GetString()!).ToList();
        Assert.Equal(periods.OrderDescending(StringComparer.Ordinal), periods);
        Assert.Equal("2026-11", periods[0]);

        var site = await client.GetFromJsonAsync<JsonElement>("/api/reports/archive?kind=monthly&scope=site:demo");
        Assert.Equal(["2026-11", "2026-10", "2026-09"], site.EnumerateArray().Select(e => e.GetProperty("period").GetString()));
        var id = site[0].GetProperty("id").GetInt64();

        var report = await client.GetFromJsonAsync<JsonElement>($"/api/reports/archive/{id}");
        Assert.Equal("site:demo", report.GetProperty("scope").GetString());
        Assert.Equal("2026-11", report.GetProperty("report").GetProperty("month").GetString());
        Assert.Equal("site:demo", report.GetProperty("report").GetProperty("scope").GetString());

        using var workbook = await client.GetAsync($"/api/reports/archive/{id}.xlsx");
        Assert.Equal(HttpStatusCode.OK, workbook.StatusCode);
        Assert.Equal(MonthlyReportWorkbook.ContentType, workbook.Content.Headers.ContentType?.MediaType);
        Assert.Equal("monthly-2026-11-site-demo.xlsx", workbook.Content.Headers.ContentDisposition?.FileNameStar ?? workbook.Content.Headers.ContentDisposition?.FileName);
        using var excel = new XLWorkbook(await workbook.Content.ReadAsStreamAsync());
        Assert.NotEmpty(excel.Worksheets);
    }

    [Fact]
    public async Task A_crew_member_sees_its_own_crews_stored_reports_and_is_refused_the_others()
    {
        await StoreInApiAsync();
        using var operatorClient = plant.As("operator.zhang");
        var unit = (await operatorClient.GetFromJsonAsync<JsonElement>("/api/reports/archive?scope=unit"))[0].GetProperty("id").GetInt64();
        using var client = plant.As("crew.li");

        var own = await client.GetFromJsonAsync<JsonElement>("/api/reports/archive");
        Assert.NotEmpty(own.EnumerateArray());
        Assert.All(own.EnumerateArray(), e => Assert.Equal("crew:crew-masts", e.GetProperty("scope").GetString()));
        using (var ownReport = await client.GetAsync($"/api/reports/archive/{own[0].GetProperty("id").GetInt64()}"))
        {
            Assert.Equal(HttpStatusCode.OK, ownReport.StatusCode);
        }

        foreach (var refused in new[] { "/api/reports/archive?scope=crew:crew-central", "/api/reports/archive?scope=unit", $"/api/reports/archive/{unit}", $"/api/reports/archive/{unit}.xlsx" })
        {
            using var response = await client.GetAsync(refused);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{refused}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task Bad_archive_queries_are_problems_naming_the_value_and_a_good_one_is_answered_after()
    {
        using var client = plant.As("operator.zhang");

        await ApiHost.AssertNamesAsync(await client.GetAsync("/api/reports/archive?kind=weekly"), "kind");
        await ApiHost.AssertNamesAsync(await client.GetAsync("/api/reports/archive?scope=site:nowhere"), "scope");
        await ApiHost.AssertNamesAsync(await client.GetAsync("/api/reports/archive?scope=everything"), "scope");
        await ApiHost.AssertNamesAsync(await client.GetAsync("/api/reports/archive?scope=crew:%27%3B%20DROP%20TABLE%20stored_reports"), "scope");
        await ApiHost.AssertNamesAsync(await client.GetAsync("/api/reports/archive?limit=0"), "limit");
        using (var missing = await client.GetAsync("/api/reports/archive/987654321"))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        }

        using var good = await client.GetAsync("/api/reports/archive?kind=monthly&scope=unit&limit=5");
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
    }

    // The Api's own schedule, run at the Api's clock (7 December): September to November stored in its database.
    private async Task StoreInApiAsync() =>
        await plant.Factory.Services.GetRequiredService<ScheduledReports>().GenerateDueAsync(CancellationToken.None);

    private ScheduledReports Generator(TimeProvider clock, string database, int catchUpMonths = 1)
    {
        var services = plant.Factory.Services;
        var settings = new ReportScheduleSettings { CatchUpMonths = catchUpMonths };
        return new ScheduledReports(
            new ReportSchedule(services.GetRequiredService<ApiPlant>(), TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"), settings),
            services.GetRequiredService<MonthlyReports>(),
            services.GetRequiredService<FaultAnalyses>(),
            new StoredReports(new SqliteDatabase(database)),
            settings,
            services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions,
            clock,
            NullLogger<ScheduledReports>.Instance);
    }

    private static string NewDatabase() => Path.Combine(RepositoryPaths.NewScratchDirectory("api-stored-reports"), "maintenance.db");

    private static async Task<IReadOnlyList<StoredReportEntry>> StoredAsync(string database, string period) =>
        [.. (await new StoredReports(new SqliteDatabase(database)).ListAsync(StoredReportKind.Monthly, null, null, StoredReports.MaxLimit, CancellationToken.None))
            .Where(e => e.Period == period)];

    private static JsonElement Counters(ScheduledReports generator)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            generator.Write(writer);
            writer.WriteEndObject();
        }

        return JsonDocument.Parse(buffer.ToArray()).RootElement.Clone();
    }
}
