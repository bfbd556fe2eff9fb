using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Telemetry.Api.Live;
using Telemetry.Api.Tests.Access;
using Telemetry.Testing;

namespace Telemetry.Api.Tests.Live;

/// <summary>The live status through the running Api, fed by a real broker and a real ticket store.</summary>
public sealed class LiveStatusTests(LiveRig rig) : IClassFixture<LiveRig>
{
    [Fact]
    public async Task A_gateway_state_and_telemetry_show_on_the_site_and_the_device_with_the_lighting_rate()
    {
        using var client = rig.Api.As("crew.li");
        await rig.StateAsync("online");
        await rig.TelemetryAsync("sc-04", "street_controller", "\"lamps_lit\":30,\"commanded_on\":true,\"voltage_v\":229.5");

        var device = await Eventually.ValueAsync(
            () => JsonAsync(client, "/api/sites/demo/devices/sc-04"),
            d => d.GetProperty("online").GetBoolean(),
            "sc-04 online");

        Assert.Equal(40, device.GetProperty("lighting").GetProperty("lamps_installed").GetInt32());
        Assert.Equal(30, device.GetProperty("lighting").GetProperty("lamps_lit").GetInt32());
        Assert.Equal(0.75, device.GetProperty("lighting").GetProperty("rate").GetDouble());
        Assert.Equal(229.5, device.GetProperty("readings")[0].GetProperty("values").GetProperty("voltage_v").GetDouble());
        var site = await JsonAsync(client, "/api/sites/demo");
        var gateway = site.GetProperty("gateways").EnumerateArray().Single(g => g.GetProperty("id").GetString() == "gw-demo-01");
        Assert.Equal("online", gateway.GetProperty("state").GetString());
        var summary = (await JsonAsync(client, "/api/sites")).EnumerateArray().Single(s => s.GetProperty("id").GetString() == "demo");
        Assert.Equal(1, summary.GetProperty("gateways_online").GetInt32());
    }

    [Fact]
    public async Task Garbage_on_the_broker_is_counted_and_skipped_and_the_next_valid_message_is_shown()
    {
        using var client = rig.Api.As("operator.zhang");
        var consumer = rig.Api.Factory.Services.GetRequiredService<LiveStatusConsumer>();
        var invalid = consumer.Invalid;

        await rig.PublishAsync("lighting/demo/gw-demo-01/telemetry", "{not json");
        await rig.PublishAsync("lighting/demo/gw-demo-01/telemetry", """{"v":1,"gateway":"gw-other","site":"demo","seq":1,"sent":"2026-11-25T00:00:00.000Z","readings":[]}""");
        await rig.PublishAsync("lighting/demo/gw-demo-01/state", "null");
        await rig.TelemetryAsync("mast-05", "high_mast", "\"lamps_lit\":12,\"contactor_closed\":true");

        var device = await Eventually.ValueAsync(
            () => JsonAsync(client, "/api/sites/demo/devices/mast-05"),
            d => d.GetProperty("lighting").ValueKind == JsonValueKind.Object,
            "mast-05 shown after the garbage");
        Assert.Equal(0.5, device.GetProperty("lighting").GetProperty("rate").GetDouble());
        Assert.True(consumer.Invalid >= invalid + 3, $"{consumer.Invalid - invalid} counted invalid");
    }

    [Fact]
    public async Task A_device_no_site_file_lists_is_shown_as_unknown()
    {
        using var client = rig.Api.As("engineer.wang");
        await rig.TelemetryAsync("sc-99", "street_controller", "\"lamps_lit\":3");

        var device = await Eventually.ValueAsync(
            () => JsonAsync(client, "/api/sites/demo/devices/sc-99", allowMissing: true),
            d => d.ValueKind == JsonValueKind.Object,
            "sc-99 shown");

        Assert.False(device.GetProperty("known").GetBoolean());
        Assert.Equal("street_controller", device.GetProperty("family").GetString());
    }

    [Theory]
    [InlineData("/api/sites/bad%20site!", "site", HttpStatusCode.BadRequest)]
    [InlineData("/api/sites/demo/devices/%3Cscript%3E", "device", HttpStatusCode.BadRequest)]
    [InlineData("/api/sites/nowhere", null, HttpStatusCode.NotFound)]
    [InlineData("/api/sites/demo/devices/sc-404", null, HttpStatusCode.NotFound)]
    public async Task A_bad_or_unknown_id_is_a_problem_and_a_good_one_is_served_after_it(string path, string? field, HttpStatusCode status)
    {
        using var client = rig.Api.As("operator.zhang");

        using var refused = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(status, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        if (field is not null)
        {
            Assert.True((await ApiHost.JsonAsync(refused)).GetProperty("errors").TryGetProperty(field, out _), $"the problem names {field}");
        }

        using var served = await client.GetAsync(new Uri("/api/sites/demo/devices/sc-01", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }

    internal static async Task<JsonElement> JsonAsync(HttpClient client, string path, bool allowMissing = false)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        if (allowMissing && response.StatusCode == HttpStatusCode.NotFound)
        {
            return default;
        }

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await ApiHost.JsonAsync(response);
    }
}
