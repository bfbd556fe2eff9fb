using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Telemetry.Api.Tests.Access;

/// <summary>Who may call what, through the Api's real pipeline.</summary>
public sealed class AccessTests(ApiHost host) : IClassFixture<ApiHost>
{
    // The endpoints anyone may call: health, signing in, asking for a token, the API's description.
    private static readonly HashSet<string> Anonymous =
    [
        "GET /healthz", "POST /api/auth/sign-in", "POST /api/auth/tokens", "GET /openapi/{documentName}.json",

        // The web app's sign-in page (its form posts to itself), the page for a wrong address and the language switch.
        "GET /sign-in", "POST /sign-in", "GET /not-found", "POST /not-found", "GET /culture",
    ];

    private const string Everyone = "operator.zhang crew.li engineer.wang admin.chen";

    /// <summary>
    /// The role matrix: each endpoint, its body (null for none), and the users that may call it (a crew member on its own
    /// crew's ticket or device). <c>{fresh-north}</c>, <c>{resolved-east}</c>... is a new ticket in that status for each
    /// call; <c>{device}</c> a device no ticket has used. "May call" means past authorization: 2xx, or 503/504 from an
    /// endpoint that needs the readings store or the broker this host runs without.
    /// </summary>
    public static TheoryData<string, string, string?, string> Matrix() => new()
    {
        { "GET", "/api/me", null, Everyone },
        { "GET", "/api/tickets?crew=crew-north", null, Everyone },
        { "GET", "/api/tickets/{north}", null, Everyone },
        { "GET", "/api/tickets/{east}", null, "operator.zhang engineer.wang admin.chen" },
        { "GET", "/api/tickets?crew=crew-east", null, "operator.zhang engineer.wang admin.chen" },
        { "GET", "/api/auth/tokens", null, Everyone },
        { "DELETE", "/api/auth/tokens/{spare}", null, Everyone },
        { "POST", "/api/auth/sign-out", null, Everyone },
        { "POST", "/api/tickets", """{"asset":"north/gw-1/{device}","fault":"mast_outage","grade":2,"description":"caller: mast dark"}""", "operator.zhang admin.chen" },
        { "POST", "/api/tickets/{fresh-north}/acknowledge", null, "operator.zhang crew.li admin.chen" },
        { "POST", "/api/tickets/{fresh-east}/acknowledge", null, "operator.zhang admin.chen" },
        { "POST", "/api/tickets/{acknowledged-north}/arrive", null, "operator.zhang crew.li admin.chen" },
        { "POST", "/api/tickets/{acknowledged-east}/arrive", null, "operator.zhang admin.chen" },
        { "POST", "/api/tickets/{onsite-north}/resolve", """{"cause":"driver failed","action":"driver replaced","parts_used":["driver"],"kind":"hardware"}""", "operator.zhang crew.li admin.chen" },
        { "POST", "/api/tickets/{onsite-east}/resolve", """{"cause":"driver failed","action":"driver replaced","kind":"hardware"}""", "operator.zhang admin.chen" },
        { "POST", "/api/tickets/{resolved-north}/close", """{"note":"verified with the caller"}""", "operator.zhang admin.chen" },
        { "POST", "/api/tickets/{closed-north}/reopen", """{"reason":"dark again"}""", "operator.zhang admin.chen" },
        { "POST", "/api/tickets/{fresh-north}/reassign", """{"crew":"crew-east"}""", "operator.zhang admin.chen" },
        { "POST", "/api/tickets/{fresh-north}/regrade", """{"grade":1,"reason":"main road"}""", "operator.zhang engineer.wang admin.chen" },
        { "POST", "/api/tickets/{closed-north}/survey", """{"satisfaction":5,"comment":"lit the same night"}""", "operator.zhang admin.chen" },
        { "POST", "/api/tickets/{closed-north}/return-visit", """{"outcome":"repair holds"}""", "operator.zhang crew.li admin.chen" },
        { "GET", "/api/follow-ups?within_hours=48", null, Everyone },
        { "GET", "/api/cases?q=driver&fault=mast_outage", null, Everyone },
        { "GET", "/api/tickets/{north}/similar-cases", null, Everyone },
        { "GET", "/api/tickets/{east}/similar-cases", null, "operator.zhang engineer.wang admin.chen" },
        { "POST", "/api/tickets/{fresh-north}/comment", """{"text":"parts ordered"}""", Everyone },
        { "POST", "/api/tickets/{fresh-east}/comment", """{"text":"parts ordered"}""", "operator.zhang engineer.wang admin.chen" },
        { "GET", "/api/thresholds", null, Everyone },
        { "GET", "/api/thresholds?site=north", null, Everyone },
        { "GET", "/api/thresholds/history", null, Everyone },
        { "POST", "/api/thresholds/changes", """{"parameter":"lamps.outage_ratio","scope":"device:north/{device}","value":0.3,"reason":"role matrix"}""", "engineer.wang admin.chen" },
        { "POST", "/api/thresholds/backtest", """{"changes":[{"parameter":"lamps.outage_ratio","scope":"site:elsewhere","value":0.3}],"from":"2026-01-01T00:00:00Z","to":"2026-01-02T00:00:00Z"}""", "engineer.wang admin.chen" },
        { "GET", "/api/service-levels", null, Everyone },
        { "GET", "/api/service-levels/history", null, Everyone },
        { "PUT", "/api/service-levels", ServiceLevels.ServiceLevelEndpointTests.DefaultBody("role matrix").ToJsonString(), "admin.chen" },
        { "GET", "/api/sites", null, Everyone },
        { "GET", "/api/sites/demo", null, Everyone },
        { "GET", "/api/sites/demo/devices/sc-01", null, Everyone },
        { "GET", "/api/events", null, Everyone },
        { "GET", "/api/sites/demo/devices/sc-06/history?point=voltage_l1_v", null, Everyone },
        { "GET", "/api/sites/demo/devices/sc-01/history?point=voltage_l1_v", null, "operator.zhang engineer.wang admin.chen" },
        { "POST", "/api/sites/demo/devices/sc-06/commands", """{"action":"switch","circuit":1,"on":true}""", "operator.zhang admin.chen" },
        { "POST", "/api/sites/demo/devices/ltc-01/commands", """{"action":"set_clock"}""", "engineer.wang admin.chen" },
        { "POST", "/api/sites/demo/commands/switch", """{"on":true}""", "operator.zhang admin.chen" },
        { "GET", "/api/commands", null, "operator.zhang engineer.wang admin.chen" },
        { "GET", "/api/reports/monthly?month=2026-11", null, "operator.zhang engineer.wang admin.chen" },
        { "GET", "/api/reports/monthly?month=2026-11&crew=crew-north", null, Everyone },
        { "GET", "/api/reports/monthly?month=2026-11&crew=crew-east", null, "operator.zhang engineer.wang admin.chen" },
        { "GET", "/api/reports/monthly.csv?month=2026-11&site=demo", null, "operator.zhang engineer.wang admin.chen" },
        { "GET", "/api/reports/monthly.xlsx?month=2026-11&crew=crew-north", null, Everyone },
        { "GET", "/api/reports/fault-analysis?half=2026-H2", null, "operator.zhang engineer.wang admin.chen" },
        { "GET", "/api/reports/fault-analysis?half=2026-H2&crew=crew-north", null, Everyone },
        { "GET", "/api/reports/fault-analysis.csv?half=2026-H2", null, "operator.zhang engineer.wang admin.chen" },
        { "GET", "/api/reports/fault-analysis.xlsx?half=2026-H2&crew=crew-north", null, Everyone },
        { "GET", "/api/reports/archive", null, Everyone },
        { "GET", "/api/reports/archive?kind=monthly&scope=crew:crew-north", null, Everyone },
        { "GET", "/api/reports/archive?scope=unit", null, "operator.zhang engineer.wang admin.chen" },
        { "GET", "/api/reports/archive/{stored-crew-north}", null, Everyone },
        { "GET", "/api/reports/archive/{stored-crew-east}", null, "operator.zhang engineer.wang admin.chen" },
        { "GET", "/api/reports/archive/{stored-unit}.xlsx", null, "operator.zhang engineer.wang admin.chen" },
        { "GET", "/api/reports/archive/{stored-crew-north}.xlsx", null, Everyone },
        { "GET", "/api/assets", null, Everyone },
        { "GET", "/api/assets?site=demo&warranty=expired", null, Everyone },
        { "GET", "/api/assets/demo/sc-06", null, Everyone },
        { "GET", "/api/assets/demo/sc-01", null, "operator.zhang engineer.wang admin.chen" },
        { "GET", "/api/work-orders?crew=crew-north", null, Everyone },
        { "GET", "/api/work-orders?crew=crew-central", null, "operator.zhang engineer.wang admin.chen" },
        { "GET", "/api/work-orders/{planned-order-north}", null, Everyone },
        { "GET", "/api/work-orders/{planned-order-central}", null, "operator.zhang engineer.wang admin.chen" },
        { "GET", "/api/work-orders/intervals", null, Everyone },
        { "GET", "/api/forecasts?site=demo&kind=battery_end_of_life", null, Everyone },
        { "POST", "/api/work-orders/{planned-order-north}/start", null, "operator.zhang crew.li admin.chen" },
        { "POST", "/api/work-orders/{planned-order-central}/start", null, "operator.zhang admin.chen" },
        { "POST", "/api/work-orders/{started-order-north}/complete", """{"checklist":{"lanterns_cleaned":true,"terminals_tightened":true},"readings":{}}""", "operator.zhang crew.li admin.chen" },
        { "POST", "/api/work-orders/{started-order-central}/complete", """{"checklist":{"lanterns_cleaned":true,"terminals_tightened":true}}""", "operator.zhang admin.chen" },
        { "POST", "/api/work-orders/{planned-order-north}/skip", """{"reason":"road closed"}""", "operator.zhang crew.li admin.chen" },
        { "PUT", "/api/work-orders/intervals/rcd_fuse_check", """{"times":1,"per":"month","reason":"role matrix"}""", "engineer.wang admin.chen" },
        { "POST", "/api/work-orders/extreme-weather", """{"site":"demo","expected":"{today}","description":"typhoon warning"}""", "operator.zhang admin.chen" },
    };

    [Fact]
    public void Every_endpoint_declares_who_may_call_it()
    {
        var endpoints = host.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        Assert.NotEmpty(endpoints);

        var problems = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"];
            foreach (var method in methods)
            {
                var key = $"{method} {endpoint.RoutePattern.RawText}";
                var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
                var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Where(a => a.Policy is not null).ToList();
                // The development host's file fallback names none: the fallback policy (signed in) covers it.
                if (anonymous ? !Anonymous.Contains(key) && !IsAsset(endpoint) : policies.Count == 0 && endpoint.RoutePattern.RawText != "{**path:file}")
                {
                    problems.Add(anonymous ? $"{key} is anonymous but not one of the endpoints that may be" : $"{key} names no policy");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    /// <summary>A script, style or image the web app ships: anonymous, so that the sign-in page can be drawn.</summary>
    private static bool IsAsset(RouteEndpoint endpoint) =>
        endpoint.RoutePattern.Parameters.Count == 0
        && Path.GetExtension(endpoint.RoutePattern.RawText) is ".css" or ".js" or ".mjs" or ".map" or ".woff" or ".woff2" or ".png" or ".svg" or ".ico" or ".gz" or ".br" or ".json" or ".txt";

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Each_endpoint_answers_its_roles_and_refuses_the_others_and_nobody(string method, string path, string? body, string allowed)
    {
        foreach (var user in ApiHost.Users.Append(null))
        {
            using var client = host.As(user);
            var target = await host.ResolveAsync(path);
            if (target.Contains("{spare}", StringComparison.Ordinal))
            {
                target = target.Replace("{spare}", await host.SpareTokenIdAsync(user ?? ApiHost.Users[0]), StringComparison.Ordinal);
            }

            using var request = new HttpRequestMessage(new HttpMethod(method), target);
            if (body is not null)
            {
                request.Content = new StringContent(await host.ResolveAsync(body), System.Text.Encoding.UTF8, "application/json");
            }

            // Headers only: the event stream does not end.
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

            var expected = user is null ? "401" : allowed.Split(' ').Contains(user) ? "2xx" : "403";
            var actual = response.StatusCode switch
            {
                // 503/504: let through, then the readings store or the broker this host runs without is missing or silent.
                HttpStatusCode.OK or HttpStatusCode.Created or HttpStatusCode.NoContent or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout => "2xx",
                var status => ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            if (expected != actual)
            {
                // The body only for a wrong answer: an event stream's does not end.
                Assert.Fail($"{method} {path} as {user ?? "nobody"}: {actual}, expected {expected}: {await response.Content.ReadAsStringAsync()}");
            }
        }
    }

    [Fact]
    public async Task A_browser_signs_in_with_a_cookie_and_out_again()
    {
        using var client = host.As(null);

        using var refused = await client.PostAsJsonAsync("/api/auth/sign-in", new { name = "operator.zhang", password = "wrong password!" });
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        using var signedIn = await client.PostAsJsonAsync("/api/auth/sign-in", new { name = "operator.zhang", password = ApiHost.Password });
        Assert.Equal(HttpStatusCode.NoContent, signedIn.StatusCode);
        var cookie = Assert.Single(signedIn.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);

        var me = await ApiHost.JsonAsync(await SendWithCookie(client, HttpMethod.Get, "/api/me", cookie));
        Assert.Equal("operator.zhang", me.GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await SendWithCookie(client, HttpMethod.Post, "/api/auth/sign-out", cookie)).StatusCode);
    }

    [Fact]
    public async Task An_api_client_gets_a_token_once_and_the_token_signs_it_in()
    {
        using var client = host.As(null);

        using var issued = await client.PostAsJsonAsync("/api/auth/tokens", new { name = "crew.li", password = ApiHost.Password, client = "crew phone", days = 7 });
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        var token = (await ApiHost.JsonAsync(issued)).GetProperty("token").GetString();

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        request.Headers.Authorization = new("Bearer", token);
        var me = await ApiHost.JsonAsync(await client.SendAsync(request));
        Assert.Equal(["crew-north"], me.GetProperty("crews").EnumerateArray().Select(c => c.GetString()));
    }

    [Theory]
    [InlineData("""{"name":"crew.li","password":"correct horse battery","client":"","days":7}""", "client")]
    [InlineData("""{"name":"crew.li","password":"correct horse battery","client":"phone","days":365}""", "days")]
    public async Task A_bad_token_request_is_a_problem_naming_the_field(string body, string field)
    {
        using var client = host.As(null);

        using var response = await client.PostAsync("/api/auth/tokens", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        await ApiHost.AssertNamesAsync(response, field);

        // The next, valid request is served as if the bad one had not come.
        using var valid = await client.PostAsJsonAsync("/api/auth/tokens", new { name = "crew.li", password = ApiHost.Password, client = "crew phone", days = 7 });
        Assert.Equal(HttpStatusCode.Created, valid.StatusCode);
    }

    [Theory]
    [InlineData("Bearer tlm_0000_forged")]
    [InlineData("Basic b3BlcmF0b3I6cGFzc3dvcmQ=")]
    public async Task A_forged_or_foreign_credential_is_401(string authorization)
    {
        using var client = host.As(null);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/tickets");
        request.Headers.TryAddWithoutValidation("Authorization", authorization);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var signedIn = host.As("operator.zhang");
        Assert.Equal(HttpStatusCode.OK, (await signedIn.GetAsync("/api/tickets")).StatusCode);
    }

    [Fact]
    public async Task A_crew_member_with_one_crew_lists_its_crew_without_naming_it()
    {
        using var client = host.As("crew.li");

        var page = await ApiHost.JsonAsync(await client.GetAsync("/api/tickets"));

        var tickets = page.GetProperty("tickets").EnumerateArray().ToList();
        Assert.Contains(host.NorthTicket, tickets.Select(t => t.GetProperty("number").GetString()));
        Assert.All(tickets, t => Assert.Equal("crew-north", t.GetProperty("crew").GetString()));
    }

    private static Task<HttpResponseMessage> SendWithCookie(HttpClient client, HttpMethod method, string path, string setCookie)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Cookie", setCookie.Split(';')[0]);
        return client.SendAsync(request);
    }
}
