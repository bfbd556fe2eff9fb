using System.Text;
using System.Text.Json;
using FsCheck;
using Telemetry.Contracts;
using Telemetry.Devices.Sites;
using Telemetry.Fuzzing.Inputs;
using Telemetry.Gateway.Commands;
using Telemetry.Gateway.Configuration;

namespace Telemetry.Fuzzing.Targets;

/// <summary>
/// The gateway's reading of a command message: <see cref="CommandIntake.DeviceOf"/> on its topic, then
/// <see cref="CommandIntake.Decide"/> on its payload, up to the validated writes or the refusal the service
/// answers with (nothing is written: that part needs a device). The topic names one of the small test site's
/// devices, or one the gateway does not have, chosen from the input's bytes so that an input always goes to
/// the same device.
/// </summary>
public sealed class GatewayCommandTarget : IFuzzTarget
{
    private const string ValidCommand = """{"id":"c-1","action":"switch","circuit":2,"on":false}""";
    private const string ValidDevice = "sc-2";

    private readonly Topics _topics = new();
    private readonly GatewayPlant _plant;
    private readonly string[] _devices;
    private readonly byte[] _valid = Encoding.UTF8.GetBytes(ValidCommand);

    public GatewayCommandTarget()
    {
        var site = SiteLoader.Parse(ValidDocuments.SiteFile, "test-small.json", ValidDocuments.Profiles);
        _plant = new GatewayPlant(site, site.Gateways[0], Version: 1);
        _devices = [.. _plant.Gateway.Devices.Select(d => d.Id), "nobody"];
        var points = ValidDocuments.Profiles.SelectMany(p => p.Points).SelectMany(p => p.ValueNames()).Distinct(StringComparer.Ordinal);
        var labels = ValidDocuments.Profiles.SelectMany(p => p.Points).SelectMany(p => p.Labels.Values).Distinct(StringComparer.Ordinal);
        Inputs = HostileJson.From(
        [
            .. ValidDocuments.Commands.Select(c => JsonTemplate.From(
                "command", c,
                words: [.. CommandPlanner.Actions, .. points, .. labels, .. _devices],
                names: ["id", "action", "circuit", "on", "point", "value", "time"])),
        ]);
    }

    public string Name => "gateway-command";

    public Gen<byte[]> Inputs { get; }

    /// <summary>The command topic of <paramref name="deviceId"/>.</summary>
    public string TopicFor(string deviceId) => _topics.Command(_plant.SiteId, _plant.GatewayId, deviceId);

    /// <summary>The command topic the input is sent on: one device per input, the same every time.</summary>
    public string TopicOf(byte[] input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var hash = 2166136261u;
        foreach (var b in input)
        {
            hash = (hash ^ b) * 16777619u;
        }

        return TopicFor(_devices[hash % (uint)_devices.Length]);
    }

    public FuzzOutcome Feed(byte[] input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return FeedTo(TopicOf(input), input);
    }

    /// <summary>Hands <paramref name="input"/> to the gateway on <paramref name="topic"/>, a command topic of this gateway.</summary>
    public FuzzOutcome FeedTo(string topic, byte[] input)
    {
        ArgumentNullException.ThrowIfNull(topic);
        ArgumentNullException.ThrowIfNull(input);
        try
        {
            if (CommandIntake.DeviceOf(_topics, _plant, topic) is not { } deviceId)
            {
                return FuzzOutcome.Failed($"the command topic {topic} of this gateway was not taken as one");
            }

            var decision = Decide(input, deviceId);
            if (decision.Writes is { Count: > 0 })
            {
                return decision.Rejection is null ? FuzzOutcome.Accepted : FuzzOutcome.Failed($"planned and refused at once: {decision.Rejection}");
            }

            return decision.Writes is null
                ? FuzzOutcome.Refused(ReasonOf(decision), $"{topic}: {decision.Rejection}")
                : FuzzOutcome.Failed($"{topic}: planned with no write at all");
        }
        catch (Exception ex)
        {
            return FuzzOutcome.Failed($"{topic}: threw {ex}");
        }
    }

    public bool FeedValid() =>
        Decide(_valid, ValidDevice) is { Writes.Count: 1, Rejection: null, Command.Id: "c-1" };

    private CommandDecision Decide(byte[] payload, string deviceId) =>
        CommandIntake.Decide(payload, _plant.GatewayId, deviceId, _plant.FindDevice(deviceId), ValidDocuments.Now, _plant.Site.TimeZone);

    /// <summary>What the refusal is counted under: the payload, the device, or the rule of the plan or the profile that refused it.</summary>
    private static string ReasonOf(CommandDecision decision)
    {
        var rejection = decision.Rejection ?? "";
        if (decision.Command is null)
        {
            return "not_a_command";
        }

        if (rejection.Contains("has no device", StringComparison.Ordinal))
        {
            return "unknown_device";
        }

        // A profile's refusal of a value ends with its rule: "... [OutOfRange]".
        if (rejection.EndsWith(']') && rejection.LastIndexOf('[') is var open and >= 0)
        {
            return JsonNamingPolicy.SnakeCaseLower.ConvertName(rejection[(open + 1)..^1]);
        }

        return decision.Command.Action is { } action && CommandPlanner.Actions.Contains(action) ? $"{action}_refused" : "unknown_action";
    }
}
