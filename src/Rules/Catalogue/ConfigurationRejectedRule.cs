using Telemetry.Contracts;
using Telemetry.Maintenance.Faults;
using Telemetry.Rules.Evaluation;

namespace Telemetry.Rules.Catalogue;

/// <summary>
/// A command or setting the plant refused, from the gateway's <c>command_result</c> events: result <c>rejected</c>
/// (the gateway refused it) or <c>device_error</c> (the device did) is <see cref="FaultType.ConfigurationRejected"/>,
/// grade 4, on the device (or on the gateway when no device is named). The next command carried out for the same
/// asset (result <c>done</c>) clears it: whoever sent the bad one has since got one through.
/// </summary>
internal sealed class ConfigurationRejectedRule
{
    public const string EventKind = EventKinds.CommandResult;

    private static readonly IReadOnlyDictionary<string, double> NoEvidence = new Dictionary<string, double>();

    public void OnEvent(GatewaySession session, DeviceState? device, GatewayEvent gatewayEvent, ICollection<FaultTransition> output)
    {
        if (gatewayEvent.Attributes is not { } attributes || !attributes.TryGetValue("result", out var result))
        {
            return;
        }

        var asset = device?.Asset ?? session.Asset;
        var active = device?.ConfigurationRejected ?? session.ConfigurationRejected;
        var action = attributes.GetValueOrDefault("action") ?? "command";
        switch (result)
        {
            case "rejected" or "device_error" when !active:
                Set(session, device, true);
                var by = result == "rejected" ? "the gateway" : "the device";
                var reason = string.IsNullOrWhiteSpace(gatewayEvent.Message) ? "" : $": {gatewayEvent.Message}";
                var summary = $"{action} refused by {by}{reason}";
                output.Add(device is not null
                    ? device.Detected(asset, FaultType.ConfigurationRejected, FaultType.ConfigurationRejected.DefaultGrade(), gatewayEvent.Ts, summary, NoEvidence)
                    : new FaultDetected(asset, FaultType.ConfigurationRejected, FaultType.ConfigurationRejected.DefaultGrade(), gatewayEvent.Ts, summary, NoEvidence, session.Crew, session.Zone));
                break;
            case "done" when active:
                Set(session, device, false);
                output.Add(new FaultCleared(asset, FaultType.ConfigurationRejected, gatewayEvent.Ts, $"{action} carried out"));
                break;
        }
    }

    private static void Set(GatewaySession session, DeviceState? device, bool value)
    {
        if (device is not null)
        {
            device.ConfigurationRejected = value;
        }
        else
        {
            session.ConfigurationRejected = value;
        }
    }
}
