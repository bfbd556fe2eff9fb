using System.Text.Json;
using Telemetry.Contracts;
using Telemetry.Devices.Decoding;
using Telemetry.Devices.Sites;
using Telemetry.Gateway.Configuration;

namespace Telemetry.Gateway.Commands;

/// <summary>What a command message asks, decided before anything is written: the command, and its writes or why it is refused.</summary>
/// <param name="Command">The command read from the payload; null when the payload is not one.</param>
/// <param name="Writes">The validated writes that carry it; null when it is refused.</param>
/// <param name="Rejection">Why it is refused; null when it is not.</param>
public sealed record CommandDecision(DeviceCommand? Command, IReadOnlyList<WriteRequest>? Writes, string? Rejection);

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
        ArgumentNullException.ThrowIfNull(siteZone);
        DeviceCommand? command;
        try
        {
            command = JsonSerializer.Deserialize(payload, CommandJson.Default.DeviceCommand);
        }
        catch (JsonException ex)
        {
            return new(null, null, $"the payload is not a valid command: {ex.Message}");
        }

        if (command is null)
        {
            return new(null, null, "the payload is not a command object");
        }

        if (device is null)
        {
            return new(command, null, $"gateway {gatewayId} has no device '{deviceId}'");
        }

        var (writes, rejection) = CommandPlanner.Plan(device, command, now, siteZone);
        return new(command, writes, rejection);
    }
}
