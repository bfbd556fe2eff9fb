using Telemetry.Gateway.Commands;
using Telemetry.Mqtt;

namespace Telemetry.Gateway.Tests.Commands;

/// <summary>The bounded inbox between the MQTT reader and the command worker.</summary>
public sealed class CommandInboxTests
{
    [Fact]
    public async Task The_inbox_refuses_beyond_its_count_and_takes_again_once_one_is_taken()
    {
        var inbox = new CommandInbox(maxCount: 2, maxBytes: 1000);

        Assert.True(inbox.TryAdd(Message(10)));
        Assert.True(inbox.TryAdd(Message(10)));
        Assert.False(inbox.TryAdd(Message(10)));

        await inbox.TakeAsync(CancellationToken.None);
        Assert.True(inbox.TryAdd(Message(10)));
        Assert.Equal((2, 20L), (inbox.Count, inbox.Bytes));
    }

    [Fact]
    public async Task The_inbox_refuses_a_command_that_would_pass_its_byte_limit()
    {
        var inbox = new CommandInbox(maxCount: 100, maxBytes: 100);

        Assert.True(inbox.TryAdd(Message(60)));
        Assert.False(inbox.TryAdd(Message(41)));
        Assert.True(inbox.TryAdd(Message(40)));

        Assert.Equal(60, (await inbox.TakeAsync(CancellationToken.None)).Payload.Length);
        Assert.Equal((1, 40L), (inbox.Count, inbox.Bytes));
    }

    private static MqttApplicationMessage Message(int size) => new() { Topic = "lighting/s/g/cmd/d", Payload = new byte[size] };
}
