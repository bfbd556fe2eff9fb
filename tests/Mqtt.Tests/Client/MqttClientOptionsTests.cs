using Xunit;

namespace Telemetry.Mqtt.Tests.Client;

public sealed class MqttClientOptionsTests
{
    [Theory]
    [InlineData(-1L)]
    [InlineData(long.MinValue)]
    public void A_negative_message_queue_byte_limit_is_refused_by_name(long bytes)
    {
        var options = new MqttClientOptions { Host = "broker", ClientId = "c", MessageQueueBytes = bytes };

        var exception = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Equal(nameof(MqttClientOptions.MessageQueueBytes), exception.ParamName);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData(16L << 20)]
    public void No_limit_or_any_positive_byte_limit_is_accepted(long bytes) =>
        Assert.Null(Record.Exception(new MqttClientOptions { Host = "broker", ClientId = "c", MessageQueueBytes = bytes }.Validate));
}
