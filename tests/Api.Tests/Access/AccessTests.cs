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
    private static readonly HashSet<string> Anonymous = ["GET /healthz", "POST /api/auth/sign-in", "POST /api/auth/tokens", "GET /openapi/{documentName}.json"];

    /// <summary>
    /// The role matrix: each endpoint, and the users that may call it (a crew member on its own crew's ticket or device).
    /// "Allowed" means past authorization: 2xx, or 503/504 from an endpoint that needs the readings store or the broker.
    /// </summary>
    public static TheoryData<string, string, string[]> Matrix() => new()
    {
        { "GET", "/api/me", ["operator.zhang", "crew.li", "engineer.wang", "admin.chen"] },
        { "GET", "/api/tickets?crew=crew-north", ["operator.zhang", "crew.li", "engineer.wang", "admin.chen"] },
        { "GET", "/api/tickets/{north}", ["operator.zhang", "crew.li", "engineer.wang", "admin.chen"] },
        { "GET", "/api/tickets/{east}", ["operator.zhang", "engineer.wang", "admin.chen"] },
        { "GET", "/api/tickets?crew=crew-east", ["operator.zhang", "engineer.wang", "admin.chen"] },
        { "GET", "/api/auth/tokens", ["operator.zhang", "crew.li", "engineer.wang", "admin.chen"] },
        { "DELETE", "/api/auth/tokens/{spare}", ["operator.zhang", "crew.li", "engineer.wang", "admin.chen"] },
        { "POST", "/api/auth/sign-out", ["operator.zhang", "crew.li", "engineer.wang", "admin.chen"] },
        { "GET", "/api/sites/demo/devices/sc-06/history?point=voltage_l1_v", ["operator.zhang", "crew.li", "engineer.wang", "admin.chen"] },
        { "GET", "/api/sites/demo/devices/sc-01/history?point=voltage_l1_v", ["operator.zhang", "engineer.wang", "admin.chen"] },
        { "POST", "/api/sites/demo/devices/sc-06/commands", ["operator.zhang", "admin.chen"] },
        { "POST", "/api/sites/demo/devices/ltc-01/commands", ["engineer.wang", "admin.chen"] },
        { "POST", "/api/sites/demo/commands/switch", ["operator.zhang", "admin.chen"] },
        { "GET", "/api/commands", ["operator.zhang", "engineer.wang", "admin.chen"] },
    };

    // The bodies of the rows that send one, by method and path.
    private static readonly Dictionary<string, string> Bodies = new(StringComparer.Ordinal)
    {
        ["POST /api/sites/demo/devices/sc-06/commands"] = """{"action":"switch","circuit":1,"on":true}""",
        ["POST /api/sites/demo/devices/ltc-01/commands"] = """{"action":"set_clock"}""",
        ["POST /api/sites/demo/commands/switch"] = """{"on":true}""",
    };

    [Fact]
    public void Every_endpoint_declares_who_may_call_it()
    {
        var endpoints = host.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        Assert.NotEmpty(endpoints);

        foreach (var endpoint in endpoints)
        {
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"];
            foreach (var method in methods)
            {
                var key = $"{method} {endpoint.RoutePattern.RawText}";
                var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
                var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Where(a => a.Policy is not null).ToList();
                if (anonymous)
                {
                    Assert.True(Anonymous.Contains(key), $"{key} is anonymous but not one of the endpoints that may be");
                }
                else
                {
                    Assert.True(policies.Count > 0, $"{key} names no policy");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Each_endpoint_answers_its_roles_and_refuses_the_others_and_nobody(string method, string path, string[] allowed)
    {
        foreach (var user in ApiHost.Users.Append(null))
        {
            using var client = host.As(user);
            var target = path.Replace("{north}", host.NorthTicket, StringComparison.Ordinal).Replace("{east}", host.EastTicket, StringComparison.Ordinal);
            if (target.Contains("{spare}", StringComparison.Ordinal))
            {
                target = target.Replace("{spare}", await host.SpareTokenIdAsync(user ?? ApiHost.Users[0]), StringComparison.Ordinal);
            }

            using var request = new HttpRequestMessage(new HttpMethod(method), target);
            if (Bodies.TryGetValue($"{method} {path}", out var body))
            {
                request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
            }

            using var response = await client.SendAsync(request);

            var expected = user is null ? "401" : allowed.Contains(user) ? "2xx" : "403";
            var actual = response.StatusCode switch
            {
                // 503/504: let through, then the readings store or the broker this host runs without is missing or silent.
                HttpStatusCode.OK or HttpStatusCode.Created or HttpStatusCode.NoContent or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout => "2xx",
                var status => ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            Assert.True(expected == actual, $"{method} {path} as {user ?? "nobody"}: {actual}, expected {expected}");
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

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await ApiHost.JsonAsync(response)).GetProperty("errors").TryGetProperty(field, out _));

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

        Assert.Equal([host.NorthTicket], page.GetProperty("tickets").EnumerateArray().Select(t => t.GetProperty("number").GetString()));
    }

    private static Task<HttpResponseMessage> SendWithCookie(HttpClient client, HttpMethod method, string path, string setCookie)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Cookie", setCookie.Split(';')[0]);
        return client.SendAsync(request);
    }
}
