using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Telemetry.Api.Documentation;
using Telemetry.Api.Tests.Access;
using Telemetry.Testing;

namespace Telemetry.Api.Tests.Documentation;

/// <summary>
/// The OpenAPI document the Api serves is the one checked in beside this test, so that the API does not change
/// without its document (and its reviewers) seeing it; and it says, for every operation, who may call it and what
/// problems it answers with.
/// </summary>
public sealed class OpenApiDocumentTests(ApiHost host) : IClassFixture<ApiHost>
{
    /// <summary>Set to 1 to write the served document over the checked-in one, after reviewing the change.</summary>
    private const string UpdateVariable = "TELEMETRY_UPDATE_OPENAPI";

    private static readonly string CheckedIn = Path.Combine(RepositoryPaths.Root, "tests", "Api.Tests", "Documentation", "openapi.v1.json");

    private static readonly HashSet<string> Anonymous = ["GET /healthz", "POST /api/auth/sign-in", "POST /api/auth/tokens"];

    [Fact]
    public async Task The_served_document_is_the_one_checked_in()
    {
        var served = Canonical(await ServedAsync());
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            await File.WriteAllTextAsync(CheckedIn, served);
        }

        var checkedIn = (await File.ReadAllTextAsync(CheckedIn)).ReplaceLineEndings("\n");
        if (served != checkedIn)
        {
            var servedLines = served.Split('\n');
            var checkedInLines = checkedIn.Split('\n');
            var line = Enumerable.Range(0, Math.Max(servedLines.Length, checkedInLines.Length))
                .First(i => i >= servedLines.Length || i >= checkedInLines.Length || servedLines[i] != checkedInLines[i]);
            Assert.Fail(
                $"The Api's OpenAPI document differs from {CheckedIn} from line {line + 1}:\n" +
                $"  served:     {(line < servedLines.Length ? servedLines[line] : "(end)")}\n" +
                $"  checked in: {(line < checkedInLines.Length ? checkedInLines[line] : "(end)")}\n" +
                $"Review the change, then accept it with {UpdateVariable}=1 dotnet test tests/Api.Tests --filter OpenApiDocument");
        }
    }

    [Fact]
    public async Task Every_operation_but_the_public_ones_names_its_roles_its_sign_in_and_its_problems()
    {
        var document = await ServedAsync();
        var operations = Operations(document).ToList();
        Assert.Contains(operations, o => o.Key == "GET /api/tickets");

        foreach (var (key, operation) in operations.Where(o => !Anonymous.Contains(o.Key)))
        {
            Assert.True(operation["security"] is JsonArray { Count: 2 }, $"{key} names the bearer token and the cookie");
            Assert.True(operation["x-roles"] is JsonArray, $"{key} lists its roles");
            foreach (var status in new[] { "401", "403" })
            {
                var problem = operation["responses"]?[status]?["content"]?["application/problem+json"];
                Assert.True(problem?["schema"]?["$ref"]?.GetValue<string>() == "#/components/schemas/Problem", $"{key} answers {status} with a problem");
                Assert.Equal(int.Parse(status, System.Globalization.CultureInfo.InvariantCulture), problem?["example"]?["status"]?.GetValue<int>());
            }
        }

        var list = operations.Single(o => o.Key == "GET /api/tickets").Value;
        Assert.Equal(["admin", "crew", "engineer", "operator"], list["x-roles"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.NotNull(list["responses"]?["400"]);
        Assert.Contains("bearer", document["components"]!["securitySchemes"]!.AsObject().Select(s => s.Key));
    }

    [Fact]
    public async Task Every_request_body_has_an_example_and_the_api_takes_each_example_as_well_formed()
    {
        var document = await ServedAsync();
        var withBody = Operations(document).Where(o => o.Value["requestBody"] is not null).ToList();
        Assert.NotEmpty(withBody);
        foreach (var (key, operation) in withBody)
        {
            Assert.True(operation["requestBody"]?["content"]?["application/json"]?["example"] is JsonObject, $"{key} shows an example body");
        }

        // Sent as an admin to a real ticket (or work order), site, device and task, no example is a 400 (a renamed or unknown field would be)
        // nor a 500; what the state refuses (a 409, a 401 for the example's password, a 503 without a broker) is fine.
        using var admin = host.As("admin.chen");
        foreach (var route in RequestExamples.Routes)
        {
            var method = route[..route.IndexOf(' ', StringComparison.Ordinal)];
            var path = "/" + route[(method.Length + 1)..]
                .Replace("{number}", await host.ResolveAsync(route.Contains("work-orders", StringComparison.Ordinal) ? "{started-order-north}" : "{fresh-north}"), StringComparison.Ordinal)
                .Replace("{task}", "lantern_cleaning", StringComparison.Ordinal)
                .Replace("{site}", "demo", StringComparison.Ordinal)
                .Replace("{device}", "sc-06", StringComparison.Ordinal);
            var example = RequestExamples.For(method, route[(method.Length + 1)..])!;
            using var request = new HttpRequestMessage(new HttpMethod(method), path)
            {
                Content = new StringContent(example.ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
            };
            using var response = await admin.SendAsync(request);
            Assert.True(
                response.StatusCode is not (HttpStatusCode.BadRequest or HttpStatusCode.InternalServerError),
                $"{route}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    [Fact]
    public async Task The_document_is_served_to_anyone_and_a_bad_document_name_does_not_stop_it()
    {
        using var client = host.As(null);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri("/openapi/<script>.json", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative))).StatusCode);
    }

    private async Task<JsonObject> ServedAsync()
    {
        using var client = host.As(null);
        using var response = await client.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    /// <summary>The document as checked in: indented, without the server address the test host happens to have.</summary>
    private static string Canonical(JsonObject document)
    {
        document.Remove("servers");
        return document.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }

    private static IEnumerable<KeyValuePair<string, JsonObject>> Operations(JsonObject document) =>
        from path in document["paths"]!.AsObject()
        from operation in path.Value!.AsObject()
        where operation.Key is "get" or "post" or "put" or "patch" or "delete"
        select KeyValuePair.Create($"{operation.Key.ToUpperInvariant()} {path.Key}", operation.Value!.AsObject());
}
