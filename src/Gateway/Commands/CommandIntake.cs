using System.Text.Json;
using Telemetry.Contracts;
using Telemetry.Devices.Decoding;
using Telemetry.Devices.Sites;
using Telemetry.Gateway.Configuration;

namespace Telemetry.Gateway.Commands;

/// <summary>What a command message asks, decided before anything is written: the command, and its writes or why it is refused.</summary>
/// <param name="Command">The command read from the payload; null when the payload is not one.</param>
/// <param name="Writes">The validated writes that carry it; null when it is refused.</param>
/// <param name="Refusal">Why it is refused; null when it is not.</param>
public sealed record CommandDecision(DeviceCommand? Command, IReadOnlyList<WriteRequest>? Writes, CommandRefusal? Refusal)
{
    /// <summary>Why it is refused, as the answer says it; null when it is not.</summary>
    public string? Rejection => Refusal?.Reason;
}

/// <summary>
/// Reads a message on a command topic, without side effects: whether it is for a device of this gateway, the
/// command in its payload, and the writes that carry it on the device (<see cref="CommandPlanner"/>), or the
/// reason it is refused. <see cref="CommandService"/> looks the device up, then carries the writes out.
/// </summary>
public static class CommandIntake
{
    /// <summary>The device a message on <paramref name="topic"/> is for; null when it is not a command topic of this gateway (it is ignored).</summary>
    public static string? DeviceOf(Topics topics, GatewayPlant plant, string topic)
    {
        ArgumentNullException.ThrowIfNull(topics);
        ArgumentNullException.ThrowIfNull(plant);
        ArgumentNullException.ThrowIfNull(topic);
        return topics.Parse(topic) is { Kind: GatewayTopicKind.Command, Device: { } deviceId } parsed && parsed.Site == plant.SiteId && parsed.Gateway == plant.GatewayId
            ? deviceId
            : null;
    }

    /// <summary>The command in <paramref name="payload"/> planned on <paramref name="device"/>, or why it is refused.</summary>
    /// <param name="payload">The message's payload.</param>
    /// <param name="gatewayId">This gateway, for the refusal of a device it does not have.</param>
    /// <param name="deviceId">The device the topic names.</param>
    /// <param name="device">That device as configured now; null when the gateway has no such device.</param>
    /// <param name="now">The gateway's clock, for a <c>set_clock</c> without a time.</param>
    /// <param name="siteZone">The site's time zone, for clocks kept in local time.</param>
    public static CommandDecision Decide(ReadOnlySpan<byte> payload, string gatewayId, string deviceId, SiteDevice? device, DateTimeOffset now, TimeZoneInfo siteZone)
    {
        var (command, refusal) = Read(payload);
        return command is null ? new(null, null, refusal) : Plan(command, gatewayId, deviceId, device, now, siteZone);
    }

    /// <summary>The command in <paramref name="payload"/>, or why it is not one.</summary>
    public static (DeviceCommand? Command, CommandRefusal? Refusal) Read(ReadOnlySpan<byte> payload)
    {
        try
        {
            return JsonSerializer.Deserialize(payload, CommandJson.Default.DeviceCommand) is { } command
                ? (command, null)
                : (null, new(CommandRefusal.Malformed, "the payload is not a command object"));
        }
        catch (JsonException ex)
        {
            return (null, new(CommandRefusal.Malformed, $"the payload is not a valid command: {ex.Message}"));
        }
    }

    /// <summary><paramref name="command"/> planned on <paramref name="device"/>, or why it is refused (see <see cref="Decide"/>).</summary>
    public static CommandDecision Plan(DeviceCommand command, string gatewayId, string deviceId, SiteDevice? device, DateTimeOffset now, TimeZoneInfo siteZone)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(siteZone);
        if (device is null)
        {
            return new(command, null, new(CommandRefusal.UnknownDevice, $"gateway {gatewayId} has no device '{deviceId}'"));
        }

        if (command.Action == CommandActions.Write && !string.IsNullOrEmpty(command.Point) && CommandPlanner.OwnerOf(device.Profile, command.Point, command.Circuit) is { } owners)
        {
            return new(command, null, new(CommandRefusal.DedicatedPoint, CommandPlanner.DedicatedPointText(command.Point, owners)));
        }

        var (writes, rejection) = CommandPlanner.Plan(device, command, now, siteZone);
        return new(command, writes, rejection is null ? null : new(CommandRefusal.NotPossible, rejection));
    }
}
