using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Telemetry.Testing;

namespace Telemetry.BrokerAccess.Tests.Integration;

/// <summary>
/// The whole plant with every service on the broker's TLS listener, which requires a client certificate from the
/// broker's CA: the gateway, Ingest, Rules and the Api each log in with the password file, CA and certificate the
/// stack gives them, and a reading, a ticket, a crew alert and a command all go through.
/// </summary>
public sealed partial class EveryServiceOverTlsTests : IAsyncLifetime
{
    private static readonly TimeSpan Pipeline = TimeSpan.FromSeconds(60);

    private PlantRig rig = null!;

    // The dark mast is a fault only while the lighting is due on: the site is put where it is night now, whatever the
    // hour the test runs.
    public async Task InitializeAsync() => rig = await PlantRig.StartAsync(PlantRigOptions.EveryService(
    [
        new PlantDevice("sc-01", "mg-slc4", "street_controller", OnBus: false, Unit: 1, PollIntervalSeconds: 1),
        new PlantDevice("mast-01", "jg-hmc24", "high_mast", OnBus: true, Unit: 2, PollIntervalSeconds: 1, Crew: "crew-masts"),
    ]) with { Tls = true, Latitude = 0, Longitude = PlantRig.LongitudeWhereItIs(day: false, DateTimeOffset.UtcNow), TimeZone = "UTC" });

    public async Task DisposeAsync() => await rig.DisposeAsync();

    [Fact]
    public async Task Readings_tickets_alerts_and_commands_flow_with_every_service_on_the_TLS_listener()
    {
        // Ingest stored readings of both devices.
        await Eventually.TrueAsync(
            async () => (await rig.Influx!.RunCliAsync("-database", "telemetry", "-format", "csv", "-execute", "SELECT count(lamps_lit) FROM high_mast WHERE device = 'mast-01'")).StandardOutput.Contains("high_mast,", StringComparison.Ordinal),
            "the mast's readings in InfluxDB",
            Pipeline,
            rig.Logs);

        // Rules judged them and opened a ticket when the mast went dark, and alerted the mast crew.
        await rig.InjectFaultAsync("mast-01", new { fault = "lamps_dark", count = 12 });
        var ticket = (await Eventually.ValueAsync(() => rig.TicketsAsync("asset=rig%2Fgw-rig%2Fmast-01&open=true"), t => t.Count > 0, "a ticket on the dark mast", Pipeline, rig.Logs))[0];
        var number = ticket.GetProperty("number").GetString()!;
        await Eventually.TrueAsync(
            () => Task.FromResult(rig.Recorder.Messages.Any(m => m.Topic == "lighting/alerts/crew-masts" && Encoding.UTF8.GetString(m.Payload.Span).Contains(number, StringComparison.Ordinal))),
            "the mast crew's alert",
            Pipeline,
            rig.Logs);

        // The Api sent a command, the gateway carried it out and answered.
        using var response = await rig.ApiClient.PostAsync(
            new Uri(rig.Api!.HealthUrl, "/api/sites/rig/devices/sc-01/commands"),
            new StringContent("""{"action":"switch","circuit":1,"on":false}""", Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {body}\n{rig.Logs()}");
        using (var answer = JsonDocument.Parse(body))
        {
            Assert.Equal("done", answer.RootElement.GetProperty("result").GetString());
        }

        // Every service's connections came in on the TLS listener, none on the plain one.
        var listeners = ListenerOfEachLogin(rig.Broker.Log);
        foreach (var principal in new[] { "gateway-rig-gw-rig", "ingest", "rules", "api" })
        {
            Assert.True(listeners.TryGetValue(principal, out var ports), $"{principal} never logged in:\n{rig.Broker.Log}");
            Assert.Equal([rig.Broker.TlsPort!.Value], ports.Distinct());
        }
    }

    // Mosquitto logs "New connection from A:P on port L." then "New client connected from A:P as ID (..., u'USER')."
    private static Dictionary<string, List<int>> ListenerOfEachLogin(string log)
    {
        var listenerOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var logins = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        foreach (var line in log.Split('\n'))
        {
            if (NewConnection().Match(line) is { Success: true } connection)
            {
                listenerOf[connection.Groups["peer"].Value] = int.Parse(connection.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (ClientConnected().Match(line) is { Success: true } client && listenerOf.TryGetValue(client.Groups["peer"].Value, out var port))
            {
                var user = client.Groups["user"].Value;
                if (!logins.TryGetValue(user, out var ports))
                {
                    logins[user] = ports = [];
                }

                ports.Add(port);
            }
        }

        return logins;
    }

    [GeneratedRegex(@"New connection from (?<peer>\S+) on port (?<port>\d+)\.")]
    private static partial Regex NewConnection();

    [GeneratedRegex(@"New client connected from (?<peer>\S+) as .*u'(?<user>[^']+)'\)")]
    private static partial Regex ClientConnected();
}
