using System.Globalization;
using System.Text;
using Telemetry.Api.Tests.Access;
using Telemetry.Mqtt;
using Telemetry.Testing;

namespace Telemetry.Api.Tests.Live;

/// <summary>A real Mosquitto, the Api in-process on the demo site and a SQLite file, and a client that plays the gateway.</summary>
public sealed class LiveRig : IAsyncLifetime
{
    public MosquittoServer Broker { get; private set; } = null!;

    public ApiHost Api { get; private set; } = null!;

    public MqttClient Gateway { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Broker = await MosquittoServer.StartAsync();
        Api = new ApiHost(new Dictionary<string, string>
        {
            ["Mqtt:Host"] = Broker.Host,
            ["Mqtt:Port"] = Broker.Port.ToString(CultureInfo.InvariantCulture),
            ["Mqtt:Username"] = "api",
            ["Mqtt:Password"] = Broker.Credentials("api").Password,
        });
        await Api.InitializeAsync();
        Gateway = new MqttClient(Broker.ClientOptions(MosquittoServer.Harness) with { ClientId = "gw-demo-01" });
        await Gateway.ConnectAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Api.DisposeAsync();
        await Broker.DisposeAsync();
    }

    public async Task PublishAsync(string topic, string payload, bool retain = false) => await Gateway.PublishAsync(
        new MqttApplicationMessage { Topic = topic, Payload = Encoding.UTF8.GetBytes(payload), QualityOfService = MqttQualityOfService.AtLeastOnce, Retain = retain },
        CancellationToken.None);

    public Task StateAsync(string state) =>
        PublishAsync("lighting/demo/gw-demo-01/state", $$"""{"state":"{{state}}","ts":"{{Now()}}"}""", retain: true);

    /// <summary>One reading of <paramref name="device"/> with <paramref name="values"/> (JSON members) taken now.</summary>
    public Task TelemetryAsync(string device, string family, string values, long seq = 1) => PublishAsync(
        "lighting/demo/gw-demo-01/telemetry",
        $$$"""{"v":1,"gateway":"gw-demo-01","site":"demo","seq":{{{seq}}},"sent":"{{{Now()}}}","readings":[{"device":"{{{device}}}","family":"{{{family}}}","ts":"{{{Now()}}}","quality":"good","values":{{{{values}}}}}]}""");

    private static string Now() => DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
