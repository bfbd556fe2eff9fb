using Telemetry.Hosting;
using Telemetry.Contracts.Validation;

namespace Telemetry.Ingest.Tests;

public sealed class IngestOptionsTests
{
    [Fact]
    public void Defaults_are_valid()
    {
        Assert.Empty(IngestBroker.Defaults().Validate());
        Assert.Empty(new InfluxSettings().Validate());
        Assert.Empty(new ValidationLimits().Validate());
        Assert.Empty(new ConsumerHealthSettings().Validate());
    }

    [Fact]
    public void The_database_is_made_at_start_unless_told_otherwise() =>
        Assert.True(new InfluxSettings().CreateDatabase);

    [Fact]
    public void Every_hostile_setting_is_named_in_its_own_problem()
    {
        var mqtt = new BrokerSettings { Host = " ", Port = 70000, SharedGroup = "a/b", Root = "#", ClientId = "", ReceiveMaximum = 0, MessageQueueBytes = -1 }.Validate().ToList();
        var influx = new InfluxSettings { Url = new Uri("ftp://x/"), Database = "tele metry", BatchPoints = 0, BatchBytes = 10, Linger = TimeSpan.FromHours(1), WritesInFlight = 0 }.Validate().ToList();
        var limits = new ValidationLimits { MaxPayloadBytes = 1, MaxReadingsPerBatch = 0, MaxValuesPerReading = 0, MaxTextLength = 1, MaxFuture = TimeSpan.FromDays(2) }.Validate().ToList();
        var health = new ConsumerHealthSettings { MaxMessageAge = TimeSpan.Zero }.Validate().ToList();

        Assert.Equal(["Mqtt:Host", "Mqtt:Port", "Mqtt:SharedGroup", "Mqtt:Root", "Mqtt:ClientId", "Mqtt:ReceiveMaximum", "Mqtt:MessageQueueBytes"], mqtt.Select(Key));
        Assert.Equal(["Influx:Url", "Influx:Database", "Influx:BatchPoints", "Influx:BatchBytes", "Influx:WritesInFlight", "Influx:Linger"], influx.Select(Key));
        Assert.Equal(["Validation:MaxPayloadBytes", "Validation:MaxReadingsPerBatch", "Validation:MaxValuesPerReading", "Validation:MaxTextLength", "Validation:MaxFuture"], limits.Select(Key));
        Assert.Equal(["Health:MaxMessageAge"], health.Select(Key));
    }

    [Fact]
    public void Invalid_configuration_lists_every_problem_in_its_message()
    {
        var error = new InvalidConfigurationException(["Mqtt:Port 0 is not a TCP port (1-65535)", "Influx:Database '' is invalid"]);

        Assert.Contains("Mqtt:Port 0", error.Message, StringComparison.Ordinal);
        Assert.Contains("Influx:Database", error.Message, StringComparison.Ordinal);
    }

    private static string Key(string problem) => problem.Split(' ')[0];

    [Theory]
    [InlineData("http://127.0.0.1:8086/", null, false)]
    [InlineData("http://localhost:8086/", null, false)]
    [InlineData("http://[::1]:8086/", null, false)]
    [InlineData("http://127.0.0.53:8086/", null, false)]
    [InlineData("http://influx.plant.example:8086/", null, true)]
    [InlineData("https://10.1.2.3:8086/", null, true)]
    [InlineData("http://127.0.0.1:8086/", true, true)]
    [InlineData("http://influx.plant.example:8086/", false, false)]
    public void Writes_are_compressed_unless_set_otherwise_only_when_InfluxDB_is_another_host(string url, bool? gzip, bool compressed) =>
        Assert.Equal(compressed, new InfluxSettings { Url = new Uri(url), Gzip = gzip }.CompressWrites);
}
