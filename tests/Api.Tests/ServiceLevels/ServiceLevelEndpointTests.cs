using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Telemetry.Api.Tests.Access;
using Telemetry.Api.Tests.Thresholds;
using Telemetry.Maintenance.ServiceLevels;
using Telemetry.Maintenance.Tickets;

namespace Telemetry.Api.Tests.ServiceLevels;

/// <summary><c>/api/service-levels</c> through the Api's real pipeline on a SQLite file of its own.</summary>
public sealed class ServiceLevelEndpointTests(ApiHost host) : IClassFixture<ApiHost>
{
    /// <summary>A valid body: every term at its compiled default, with a reason.</summary>
    public static JsonObject DefaultBody(string reason = "the contract's terms")
    {
        var body = new JsonObject();
        foreach (var (name, minutes) in ServiceLevelTerms.Default.ToMinutes())
        {
            body[name] = minutes;
        }

        body["reason"] = reason;
        return body;
    }

    [Fact]
    public async Task Every_role_reads_the_compiled_defaults_before_any_change()
    {
        using var crew = host.As("crew.li");

        var view = await ApiHost.JsonAsync(await crew.GetAsync("/api/service-levels"));

        var terms = view.GetProperty("terms");
        Assert.Equal(10, terms.GetProperty("grade1_respond_min").GetInt64());
        Assert.Equal(7 * 24 * 60, terms.GetProperty("repeat_repair_window_min").GetInt64());
        Assert.Equal(ServiceLevelTerms.All.Count, terms.EnumerateObject().Count());
    }

    [Fact]
    public async Task An_admin_changes_the_terms_with_a_reason_the_next_deadlines_use_them_and_the_history_shows_old_and_new()
    {
        using var admin = host.As("admin.chen");
        var version = (await ApiHost.JsonAsync(await admin.GetAsync("/api/service-levels"))).GetProperty("version").GetInt64();
        var body = DefaultBody("night crews are slower in winter");
        body["grade1_respond_min"] = 20;
        body["repeat_repair_window_min"] = 14 * 24 * 60;
        body["grade3_fix_min"] = null;
        body["based_on_version"] = version;

        using var changed = await admin.PutAsJsonAsync("/api/service-levels", body);

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var options = host.Factory.Services.GetRequiredService<TicketOptions>();
        Assert.Equal(TimeSpan.FromMinutes(20), options.ServiceLevels.Grade1Respond);
        Assert.Null(options.ServiceLevels.Grade3Fix);
        Assert.Equal(TimeSpan.FromDays(14), options.RepeatRepairWindow);

        var row = (await ApiHost.JsonAsync(await host.As("operator.zhang").GetAsync("/api/service-levels/history"))).GetProperty("changes")[0];
        Assert.Equal("admin.chen", row.GetProperty("author").GetString());
        Assert.Equal("night crews are slower in winter", row.GetProperty("reason").GetString());
        Assert.Equal(10, row.GetProperty("old").GetProperty("grade1_respond_min").GetInt64());
        Assert.Equal(20, row.GetProperty("new").GetProperty("grade1_respond_min").GetInt64());

        // Edited from the version before this change: refused, nothing written.
        var staleBody = DefaultBody();
        staleBody["based_on_version"] = version;
        using var stale = await admin.PutAsJsonAsync("/api/service-levels", staleBody);
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal(TimeSpan.FromMinutes(20), options.ServiceLevels.Grade1Respond);

        // Back to the defaults, so the other tests of this host see them.
        using var restored = await admin.PutAsJsonAsync("/api/service-levels", DefaultBody("back to the contract"));
        Assert.Equal(HttpStatusCode.OK, restored.StatusCode);
    }

    [Theory]
    [InlineData("grade1_respond_min", "0")]
    [InlineData("grade1_respond_min", "-5")]
    [InlineData("grade1_respond_min", "1.5")]
    [InlineData("grade1_respond_min", "\"10\"")]
    [InlineData("grade1_respond_min", "null")]
    [InlineData("grade2_fix_min", "999999999999")]
    [InlineData("repeat_repair_window_min", "-1")]
    [InlineData("reason", "\"\"")]
    [InlineData("reason", "null")]
    [InlineData("based_on_version", "\"latest\"")]
    [InlineData("grade5_respond_min", "10")]
    public async Task A_hostile_term_is_a_problem_naming_it_and_the_next_valid_change_is_served(string field, string json)
    {
        using var admin = host.As("admin.chen");
        var body = DefaultBody();
        body[field] = JsonNode.Parse(json);

        await ApiHost.AssertNamesAsync(await admin.PutAsync("/api/service-levels", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json")), field);

        using var valid = await admin.PutAsJsonAsync("/api/service-levels", DefaultBody());
        Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
    }

    [Fact]
    public async Task A_missing_term_or_a_body_that_is_no_object_is_a_problem_naming_it()
    {
        using var admin = host.As("admin.chen");
        var body = DefaultBody();
        body.Remove("grade3_fix_min");

        await ApiHost.AssertNamesAsync(await admin.PutAsJsonAsync("/api/service-levels", body), "grade3_fix_min");
        await ApiHost.AssertNamesAsync(await admin.PutAsync("/api/service-levels", new StringContent("\"terms\"", Encoding.UTF8, "application/json")), "body");
        await ApiHost.AssertNamesAsync(await admin.GetAsync("/api/service-levels/history?limit=100000"), "limit");

        using var valid = await admin.PutAsJsonAsync("/api/service-levels", DefaultBody());
        Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
    }

    [Fact]
    public async Task Engineers_operators_and_crews_may_not_change_the_terms()
    {
        foreach (var user in new[] { "engineer.wang", "operator.zhang", "crew.li" })
        {
            using var client = host.As(user);
            using var refused = await client.PutAsJsonAsync("/api/service-levels", DefaultBody());
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        Assert.Equal(ServiceLevelTerms.Default.ToMinutes(), (await host.Factory.Services.GetRequiredService<SqliteServiceLevelStore>().LoadAsync(CancellationToken.None)).Terms.ToMinutes());
    }
}
