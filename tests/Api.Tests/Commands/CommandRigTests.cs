using System.Net;
using System.Text;
using System.Text.Json;
using Telemetry.Testing;

namespace Telemetry.Api.Tests.Commands;

/// <summary>
/// Commands through the running Api to the native gateway and the simulated device: the simulator, gateway, Mosquitto,
/// Rules and Api as processes, the Api's commands waiting 3 seconds for an answer and living 2 seconds.
/// </summary>
public sealed class CommandRigTests : IAsyncLifetime
{
    private PlantRig rig = null!;

    public async Task InitializeAsync() => rig = await PlantRig.StartAsync(new PlantRigOptions
    {
        Devices = [new PlantDevice("sc-01", "mg-slc4", "street_controller", OnBus: false, Unit: 1, PollIntervalSeconds: 1)],
        WithRules = true,
        ApiSettings = new Dictionary<string, string> { ["Commands:Timeout"] = "00:00:03", ["Commands:Lifetime"] = "00:00:02" },
    });

    public async Task DisposeAsync() => await rig.DisposeAsync();

    [Fact]
    public async Task A_switch_reaches_the_device_with_the_gateways_result_and_a_command_to_a_stopped_gateway_times_out_audited_then_refused_as_expired_when_it_returns()
    {
        var commands = new Uri(rig.Api!.HealthUrl, "/api/sites/rig/devices/sc-01/commands");
        foreach (var on in new[] { false, true })
        {
            using var response = await rig.ApiClient.PostAsync(commands, Json($$"""{"action":"switch","circuit":2,"on":{{(on ? "true" : "false")}}}"""));
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {body}\n{rig.Logs()}");
            using var answer = JsonDocument.Parse(body);
            Assert.Equal("done", answer.RootElement.GetProperty("result").GetString());
            Assert.Equal("gw-rig", answer.RootElement.GetProperty("gateway").GetString());
            var device = await rig.Simulator.DeviceAsync("sc-01");
            Assert.Equal(on, device.GetProperty("circuits").GetProperty("2").GetProperty("commanded_on").GetBoolean());
        }

        // A value the device's profile refuses is refused by the Api before anything is sent.
        using (var refused = await rig.ApiClient.PostAsync(commands, Json("""{"action":"switch","circuit":9,"on":true}""")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }

        await rig.Gateway.StopAsync();
        await Eventually.TrueAsync(
            () => Task.FromResult(rig.Recorder.Messages.Any(m => m.Topic == "lighting/rig/gw-rig/state" && Encoding.UTF8.GetString(m.Payload.Span).Contains("offline", StringComparison.Ordinal))),
            "the gateway's retained state says offline");

        using var timedOut = await rig.ApiClient.PostAsync(commands, Json("""{"action":"resume_schedule"}"""));

        Assert.Equal(HttpStatusCode.GatewayTimeout, timedOut.StatusCode);
        Assert.Equal("application/problem+json", timedOut.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await timedOut.Content.ReadAsStringAsync());
        Assert.Equal("offline", problem.RootElement.GetProperty("gateway_state").GetString());
        Assert.Contains("offline", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);

        using var audit = JsonDocument.Parse(await rig.ApiClient.GetStringAsync(new Uri(rig.Api.HealthUrl, "/api/commands?device=sc-01")));
        var rows = audit.RootElement.GetProperty("commands").EnumerateArray().ToList();
        Assert.Equal(["timeout", "done", "done"], rows.Select(r => r.GetProperty("result").GetString()));
        Assert.All(rows, r => Assert.Equal(("rig.operator", "test rig"), (r.GetProperty("user").GetString(), r.GetProperty("client").GetString())));
        Assert.Equal(problem.RootElement.GetProperty("id").GetString(), rows[0].GetProperty("id").GetString());

        // The broker kept the command for the gateway; it comes back after the command's 2 s lifetime and refuses it,
        // and the audit takes that late result from the gateway's event.
        await rig.Gateway.StartAgainAsync();
        var late = await Eventually.ValueAsync(
            async () =>
            {
                using var page = JsonDocument.Parse(await rig.ApiClient.GetStringAsync(new Uri(rig.Api.HealthUrl, "/api/commands?device=sc-01&limit=1")));
                return page.RootElement.GetProperty("commands")[0].Clone();
            },
            row => row.GetProperty("result").GetString() != "timeout",
            "the timed-out command's late result in the audit",
            explain: rig.Logs);
        Assert.Equal(problem.RootElement.GetProperty("id").GetString(), late.GetProperty("id").GetString());
        Assert.Equal("rejected", late.GetProperty("result").GetString());
        Assert.StartsWith("expired:", late.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
