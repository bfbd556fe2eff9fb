using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Telemetry.Api.Access;
using Telemetry.Api.Tests.Access;
using Telemetry.Contracts;
using Telemetry.Mqtt;
using Telemetry.Testing;

namespace Telemetry.Api.Tests.Commands;

/// <summary>
/// The demo plant's Api in-process on a real Mosquitto, with a stand-in for gateway gw-demo-01 on the broker that
/// answers as the gateway does (correlation data back on the response topic): <c>done</c>, except <c>rejected</c> for
/// ltc-01 and no answer at all for sc-02. Commands wait one second.
/// </summary>
public sealed class CommandHost : IAsyncLifetime
{
    private readonly Dictionary<string, string> tokens = [];
    private MosquittoServer? broker;
    private MqttClient? gateway;
    private Task? answering;

    public WebApplicationFactory<Program> Factory { get; private set; } = null!;

    /// <summary>Every command the stand-in gateway received: device and payload.</summary>
    public List<(string Device, JsonElement Payload)> Received { get; } = [];

    /// <summary>The response topic of every command received, in the order of <see cref="Received"/>.</summary>
    public List<string?> ResponseTopics { get; } = [];

    /// <summary>Publishes a gateway event as gw-demo-01 does on its event topic.</summary>
    public Task PublishEventAsync(string json) => gateway!.PublishAsync(
        new MqttApplicationMessage { Topic = "lighting/demo/gw-demo-01/event", Payload = Encoding.UTF8.GetBytes(json), QualityOfService = MqttQualityOfService.AtLeastOnce },
        CancellationToken.None);

    public async Task InitializeAsync()
    {
        broker = await MosquittoServer.StartAsync();
        gateway = new MqttClient(broker.ClientOptions(MosquittoServer.Harness) with { ClientId = "stand-in-gw-demo-01" });
        await gateway.ConnectAsync(CancellationToken.None);
        await gateway.SubscribeAsync([new MqttSubscription { TopicFilter = "lighting/demo/gw-demo-01/cmd/+" }], CancellationToken.None);
        await gateway.PublishAsync(
            new MqttApplicationMessage { Topic = "lighting/demo/gw-demo-01/state", Payload = """{"state":"online","ts":"2026-11-22T18:00:00.000Z"}"""u8.ToArray(), Retain = true, QualityOfService = MqttQualityOfService.AtLeastOnce },
            CancellationToken.None);
        answering = Task.Run(AnswerAsync);

        Factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b
            .UseSetting("Api:Database", Path.Combine(RepositoryPaths.NewScratchDirectory("api-commands"), "maintenance.db"))
            .UseSetting("Api:SiteFiles:0", Path.Combine(RepositoryPaths.Hardware, "sites", "demo.json"))
            .UseSetting("Mqtt:Port", broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .UseSetting("Mqtt:Username", "api")
            .UseSetting("Mqtt:Password", broker.Credentials("api").Password)
            .UseSetting("Commands:Timeout", "00:00:01"));
        var store = Factory.Services.GetRequiredService<UserStore>();
        await store.SetAsync("operator.zhang", ApiHost.Password, [Role.Operator], [], CancellationToken.None);
        await store.SetAsync("crew.li", ApiHost.Password, [Role.Crew], ["crew-north"], CancellationToken.None);
        await store.SetAsync("engineer.wang", ApiHost.Password, [Role.Engineer], [], CancellationToken.None);
        await store.SetAsync("admin.chen", ApiHost.Password, [Role.Admin], [], CancellationToken.None);
        foreach (var user in ApiHost.Users)
        {
            tokens[user] = (await store.IssueTokenAsync(user, "tests", null, CancellationToken.None)).Token;
        }
    }

    public HttpClient As(string user)
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", tokens[user]);
        return client;
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        if (gateway is not null)
        {
            await gateway.DisposeAsync();
        }

        if (answering is not null)
        {
            await answering.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (broker is not null)
        {
            await broker.DisposeAsync();
        }
    }

    private async Task AnswerAsync()
    {
        await foreach (var received in gateway!.Messages.ReadAllAsync())
        {
            var message = received.Message;
            var device = message.Topic.Split('/')[^1];
            using var document = JsonDocument.Parse(message.Payload);
            lock (Received)
            {
                Received.Add((device, document.RootElement.Clone()));
                ResponseTopics.Add(message.ResponseTopic);
            }

            if (device == "sc-02" || message.ResponseTopic is not { } responseTopic)
            {
                continue;
            }

            var action = document.RootElement.GetProperty("action").GetString();
            var answer = device == "ltc-01"
                ? new { v = 1, device, action, result = "rejected", reason = (string?)"model sk-ltc4 cannot do that", ts = "2026-11-22T18:00:01.000Z" }
                : new { v = 1, device, action, result = "done", reason = (string?)null, ts = "2026-11-22T18:00:01.000Z" };
            await gateway.PublishAsync(
                new MqttApplicationMessage { Topic = responseTopic, Payload = JsonSerializer.SerializeToUtf8Bytes(answer), CorrelationData = message.CorrelationData, QualityOfService = MqttQualityOfService.AtLeastOnce },
                CancellationToken.None);
        }
    }
}

public sealed class CommandTests(CommandHost host) : IClassFixture<CommandHost>
{
    private const string Sc01 = "/api/sites/demo/devices/sc-01/commands";

    [Fact]
    public async Task A_switch_is_sent_to_the_gateway_answered_with_its_result_and_audited()
    {
        using var client = host.As("operator.zhang");

        using var response = await PostAsync(client, Sc01, """{"action":"switch","circuit":2,"on":false}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await ApiHost.JsonAsync(response);
        Assert.Equal("done", answer.GetProperty("result").GetString());
        var id = answer.GetProperty("id").GetString()!;
        JsonElement sent;
        lock (host.Received)
        {
            sent = host.Received.Single(r => r.Payload.GetProperty("id").GetString() == id).Payload;
        }

        Assert.Equal("switch", sent.GetProperty("action").GetString());
        Assert.Equal(2, sent.GetProperty("circuit").GetInt32());
        Assert.False(sent.GetProperty("on").GetBoolean());
        Assert.Equal("operator.zhang", sent.GetProperty("issuer").GetString());
        Assert.True(CommandEnvelope.TryParseTime(sent.GetProperty("issued").GetString(), out var issued));
        Assert.True(CommandEnvelope.TryParseTime(sent.GetProperty("expires").GetString(), out var expires));
        Assert.Equal(TimeSpan.FromSeconds(60), expires - issued);
        lock (host.Received)
        {
            Assert.StartsWith("lighting/demo/gw-demo-01/reply/api-", host.ResponseTopics[host.Received.FindIndex(r => r.Payload.GetProperty("id").GetString() == id)], StringComparison.Ordinal);
        }

        var audit = await ApiHost.JsonAsync(await client.GetAsync("/api/commands?device=sc-01"));
        var row = audit.GetProperty("commands").EnumerateArray().Single(c => c.GetProperty("id").GetString() == id);
        Assert.Equal("operator.zhang", row.GetProperty("user").GetString());
        Assert.Equal("gw-demo-01", row.GetProperty("gateway").GetString());
        Assert.Equal("done", row.GetProperty("result").GetString());
        Assert.Equal("circuit=2 on=false", row.GetProperty("value").GetString());
        Assert.NotEqual(JsonValueKind.Null, row.GetProperty("answered_at").ValueKind);
    }

    [Fact]
    public async Task A_refusal_by_the_gateway_is_answered_with_its_reason()
    {
        using var client = host.As("engineer.wang");

        var answer = await ApiHost.JsonAsync(await PostAsync(client, "/api/sites/demo/devices/ltc-01/commands", """{"action":"set_clock","time":"2026-11-22T18:00:00Z"}"""));

        Assert.Equal("rejected", answer.GetProperty("result").GetString());
        Assert.Contains("cannot", answer.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_command_nobody_answers_is_a_504_naming_the_gateway_and_its_state_and_is_audited()
    {
        using var client = host.As("operator.zhang");

        using var response = await PostAsync(client, "/api/sites/demo/devices/sc-02/commands", """{"action":"resume_schedule"}""");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        var problem = await ApiHost.JsonAsync(response);
        Assert.Equal("gw-demo-01", problem.GetProperty("gateway").GetString());
        Assert.Equal("online", problem.GetProperty("gateway_state").GetString());
        Assert.Contains("did not answer", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var audit = await ApiHost.JsonAsync(await client.GetAsync("/api/commands?device=sc-02&limit=1"));
        var row = Assert.Single(audit.GetProperty("commands").EnumerateArray().ToList());
        Assert.Equal(problem.GetProperty("id").GetString(), row.GetProperty("id").GetString());
        Assert.Equal("timeout", row.GetProperty("result").GetString());
    }

    [Fact]
    public async Task A_timed_out_command_takes_the_result_the_gateway_reports_later_on_its_event_topic()
    {
        using var client = host.As("operator.zhang");
        using var response = await PostAsync(client, "/api/sites/demo/devices/sc-02/commands", """{"action":"resume_schedule"}""");
        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        var id = (await ApiHost.JsonAsync(response)).GetProperty("id").GetString();

        // Another command's event and a malformed one change nothing; the command's own does.
        await host.PublishEventAsync("""{"v":1,"kind":"command_result","ts":"2026-11-22T18:00:05.000Z","device":"sc-02","attributes":{"command_id":"someone-else","result":"done"}}""");
        await host.PublishEventAsync("""{"v":1,"kind":"command_result","ts":"not a time"}""");
        await host.PublishEventAsync($$$"""{"v":1,"kind":"command_result","ts":"2026-11-22T18:00:06.000Z","device":"sc-02","message":"expired: the command expired","attributes":{"command_id":"{{{id}}}","result":"rejected","refusal":"expired","issuer":"operator.zhang"}}""");

        var row = await Eventually.ValueAsync(
            async () => (await ApiHost.JsonAsync(await client.GetAsync("/api/commands?device=sc-02"))).GetProperty("commands").EnumerateArray().Single(c => c.GetProperty("id").GetString() == id),
            r => r.GetProperty("result").GetString() == "rejected",
            "the audit row takes the late result");
        Assert.Equal("expired: the command expired", row.GetProperty("reason").GetString());
        Assert.NotEqual(JsonValueKind.Null, row.GetProperty("answered_at").ValueKind);
    }

    [Fact]
    public async Task A_lift_is_for_engineers_and_is_sent_with_its_direction()
    {
        using var operatorClient = host.As("operator.zhang");
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(operatorClient, "/api/sites/demo/devices/mast-01/commands", """{"action":"lift","direction":"down"}""")).StatusCode);

        using var engineer = host.As("engineer.wang");
        using var response = await PostAsync(engineer, "/api/sites/demo/devices/mast-01/commands", """{"action":"lift","direction":"down"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var id = (await ApiHost.JsonAsync(response)).GetProperty("id").GetString();
        lock (host.Received)
        {
            var sent = host.Received.Single(r => r.Payload.GetProperty("id").GetString() == id).Payload;
            Assert.Equal("down", sent.GetProperty("direction").GetString());
            Assert.Equal("engineer.wang", sent.GetProperty("issuer").GetString());
        }
    }

    [Theory]
    [InlineData("/api/sites/demo/devices/mast-01/commands", """{"action":"write","point":"lift_up","value":true}""", "point")]
    [InlineData("/api/sites/demo/devices/eps-01/commands", """{"action":"write","point":"test_command","value":"start_function_test"}""", "point")]
    [InlineData("/api/sites/demo/devices/mast-01/commands", """{"action":"lift","direction":"sideways"}""", "direction")]
    [InlineData("/api/sites/demo/devices/mast-01/commands", """{"action":"lift"}""", "direction")]
    [InlineData("/api/sites/demo/devices/eps-01/commands", """{"action":"lift","direction":"up"}""", "action")]
    [InlineData("/api/sites/demo/devices/mast-01/commands", """{"action":"lift","direction":"up","on":true}""", "on")]
    public async Task A_raw_write_of_an_owned_point_or_a_bad_lift_is_a_problem_naming_the_field_and_the_next_command_is_served(string path, string body, string field)
    {
        using var client = host.As("engineer.wang");
        var before = ReceivedCount();

        using var response = await PostAsync(client, path, body);

        await ApiHost.AssertNamesAsync(response, field);
        Assert.Equal(before, ReceivedCount());
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(client, "/api/sites/demo/devices/mast-01/commands", """{"action":"lift","direction":"stop"}""")).StatusCode);
    }

    [Theory]
    [InlineData("operator.zhang", """{"action":"start_function_test"}""", "/api/sites/demo/devices/eps-01/commands")]
    [InlineData("operator.zhang", """{"action":"start_one_hour_test"}""", "/api/sites/demo/devices/eps-01/commands")]
    [InlineData("operator.zhang", """{"action":"write","point":"schedule_command","value":"resume_schedule"}""", Sc01)]
    [InlineData("engineer.wang", """{"action":"switch","circuit":1,"on":true}""", Sc01)]
    [InlineData("crew.li", """{"action":"switch","on":true}""", "/api/sites/demo/devices/sc-06/commands")]
    public async Task Each_action_is_for_its_roles_only(string user, string body, string path)
    {
        using var client = host.As(user);

        using var response = await PostAsync(client, path, body);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("""{"action":"explode"}""", "action")]
    [InlineData("""{"action":42}""", "action")]
    [InlineData("""{}""", "action")]
    [InlineData("""{"action":"switch","on":true}""", "circuit")]
    [InlineData("""{"action":"switch","circuit":3,"on":true}""", "circuit")]
    [InlineData("""{"action":"switch","circuit":"1","on":true}""", "circuit")]
    [InlineData("""{"action":"switch","circuit":1.5,"on":true}""", "circuit")]
    [InlineData("""{"action":"switch","circuit":1,"on":"yes"}""", "on")]
    [InlineData("""{"action":"switch","circuit":1}""", "on")]
    [InlineData("""{"action":"switch","circuit":1,"on":true,"value":5}""", "value")]
    [InlineData("""{"action":"switch","circuit":1,"on":true,"<script>alert(1)</script>":1}""", "<script>alert(1)</script>")]
    [InlineData("""{"action":"write","point":"voltage_l1_v","circuit":1,"value":230}""", "point")]
    [InlineData("""{"action":"write","point":"circuit_command","value":1}""", "circuit")]
    [InlineData("""{"action":"write","point":"circuit_command","circuit":1,"value":{"a":1}}""", "value")]
    [InlineData("""{"action":"write","point":"circuit_command","circuit":1}""", "value")]
    [InlineData("""{"action":"write","point":"schedule_command","value":"explode"}""", "value")]
    [InlineData("""{"action":"set_clock","time":"yesterday"}""", "time")]
    [InlineData("""[1,2,3]""", "body")]
    [InlineData("""not json""", "body")]
    [InlineData("""{"action":"switch","circuit":1,"on":tru""", "body")]
    public async Task Hostile_input_is_a_problem_naming_the_field_and_the_next_command_is_served(string body, string field)
    {
        using var client = host.As("admin.chen");
        var before = ReceivedCount();

        using var response = await PostAsync(client, Sc01, body);

        await ApiHost.AssertNamesAsync(response, field);
        Assert.Equal(before, ReceivedCount());
        using var valid = await PostAsync(client, Sc01, """{"action":"switch","circuit":1,"on":true}""");
        Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
    }

    [Fact]
    public async Task A_huge_body_is_a_problem_naming_the_body_and_the_next_command_is_served()
    {
        using var client = host.As("operator.zhang");

        using var response = await PostAsync(client, Sc01, $$"""{"action":"switch","circuit":1,"on":true,"point":"{{new string('x', 1_000_000)}}"}""");

        await ApiHost.AssertNamesAsync(response, "body");
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(client, Sc01, """{"action":"switch","circuit":1,"on":true}""")).StatusCode);
    }

    [Theory]
    [InlineData("/api/sites/nowhere/devices/sc-01/commands", "site")]
    [InlineData("/api/sites/demo/devices/sc-99/commands", "device")]
    public async Task An_unknown_site_or_device_is_404_naming_it(string path, string field)
    {
        using var client = host.As("operator.zhang");

        using var response = await PostAsync(client, path, """{"action":"resume_schedule"}""");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.True((await ApiHost.JsonAsync(response)).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task A_site_switch_answers_first_with_a_token_and_what_it_would_switch_then_carries_it_out_with_the_token()
    {
        using var client = host.As("operator.zhang");
        var before = ReceivedCount();

        var proposal = await ApiHost.JsonAsync(await PostAsync(client, "/api/sites/demo/commands/switch", """{"on":false}"""));

        Assert.Equal(before, ReceivedCount());
        var targets = proposal.GetProperty("targets").EnumerateArray().ToList();
        Assert.Contains(targets, t => t.GetProperty("device").GetString() == "sc-01" && t.GetProperty("circuit").GetInt32() == 2);
        Assert.DoesNotContain(targets, t => t.GetProperty("device").GetString() == "eps-01");
        var token = proposal.GetProperty("confirmation").GetString();

        // Bound to the value: the token of "off" does not switch on (and is spent).
        using var otherValue = await PostAsync(client, "/api/sites/demo/commands/switch", $$"""{"on":true,"confirmation":"{{token}}"}""");
        await ApiHost.AssertNamesAsync(otherValue, "confirmation");

        token = (await ApiHost.JsonAsync(await PostAsync(client, "/api/sites/demo/commands/switch", """{"on":false}"""))).GetProperty("confirmation").GetString();
        using var admin = host.As("admin.chen");
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(admin, "/api/sites/demo/commands/switch", $$"""{"on":false,"confirmation":"{{token}}"}""")).StatusCode);

        token = (await ApiHost.JsonAsync(await PostAsync(client, "/api/sites/demo/commands/switch", """{"on":false}"""))).GetProperty("confirmation").GetString();
        using var carried = await PostAsync(client, "/api/sites/demo/commands/switch", $$"""{"on":false,"confirmation":"{{token}}"}""");

        Assert.Equal(HttpStatusCode.OK, carried.StatusCode);
        var commands = (await ApiHost.JsonAsync(carried)).GetProperty("commands").EnumerateArray().ToList();
        Assert.Equal(targets.Count, commands.Count);
        Assert.All(commands.Where(c => c.GetProperty("device").GetString() != "sc-02"), c => Assert.Equal("done", c.GetProperty("result").GetString()));
        Assert.All(commands.Where(c => c.GetProperty("device").GetString() == "sc-02"), c => Assert.Equal("timeout", c.GetProperty("result").GetString()));

        // Used once.
        using var again = await PostAsync(client, "/api/sites/demo/commands/switch", $$"""{"on":false,"confirmation":"{{token}}"}""");
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
    }

    [Theory]
    [InlineData("""{"on":"off"}""", "on")]
    [InlineData("""{}""", "on")]
    [InlineData("""{"on":true,"confirmation":12}""", "confirmation")]
    [InlineData("""{"on":true,"confirmation":"forged"}""", "confirmation")]
    [InlineData("""{"on":true,"devices":"all"}""", "devices")]
    public async Task A_bad_site_switch_is_a_problem_naming_the_field_and_the_next_one_is_served(string body, string field)
    {
        using var client = host.As("operator.zhang");

        using var response = await PostAsync(client, "/api/sites/demo/commands/switch", body);

        await ApiHost.AssertNamesAsync(response, field);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(client, "/api/sites/demo/commands/switch", """{"on":true}""")).StatusCode);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=100000", "limit")]
    [InlineData("offset=-1", "offset")]
    [InlineData("site=%3Cscript%3E", "site")]
    [InlineData("device=a%27%20OR%201%3D1", "device")]
    public async Task A_bad_audit_query_is_a_problem_naming_the_field_and_the_next_one_is_served(string query, string field)
    {
        using var client = host.As("engineer.wang");

        using var response = await client.GetAsync($"/api/commands?{query}");

        await ApiHost.AssertNamesAsync(response, field);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/commands?limit=5&offset=0")).StatusCode);
    }

    [Fact]
    public async Task The_api_description_shows_the_command_bodies()
    {
        using var client = host.As("operator.zhang");

        var document = await ApiHost.JsonAsync(await client.GetAsync("/openapi/v1.json"));

        var paths = document.GetProperty("paths");
        var command = paths.GetProperty("/api/sites/{site}/devices/{device}/commands").GetProperty("post");
        Assert.True(command.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        Assert.True(paths.GetProperty("/api/sites/{site}/commands/switch").GetProperty("post").TryGetProperty("requestBody", out _));
        Assert.True(paths.GetProperty("/api/commands").TryGetProperty("get", out _));
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, string body) =>
        client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

    private int ReceivedCount()
    {
        lock (host.Received)
        {
            return host.Received.Count;
        }
    }
}
