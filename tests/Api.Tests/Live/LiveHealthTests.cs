using System.Net;
using Telemetry.Api.Tests.Access;
using Telemetry.Testing;

namespace Telemetry.Api.Tests.Live;

/// <summary>The live status's consumer on <c>/healthz</c>, with a broker of its own to lose.</summary>
public sealed class LiveHealthTests(LiveRig rig) : IClassFixture<LiveRig>
{
    [Fact]
    public async Task Health_shows_the_live_status_connected_then_unhealthy_once_the_broker_is_gone()
    {
        using var client = rig.Api.As(null);
        var health = await Eventually.ValueAsync(
            () => HealthAsync(client),
            h => h.GetProperty("live_status").GetProperty("connected").GetBoolean(),
            "live status connected");
        Assert.Equal("healthy", health.GetProperty("live_status").GetProperty("status").GetString());

        await rig.Broker.StopAsync();

        health = await Eventually.ValueAsync(
            () => HealthAsync(client),
            h => h.GetProperty("live_status").GetProperty("status").GetString() == "unhealthy",
            "live status unhealthy without a broker");
        Assert.Contains(health.GetProperty("reasons").EnumerateArray(), r => r.GetString()!.Contains("not connected to the broker", StringComparison.Ordinal));
        using var answer = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.StatusCode);
    }

    private static async Task<System.Text.Json.JsonElement> HealthAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
        return await ApiHost.JsonAsync(response);
    }
}
