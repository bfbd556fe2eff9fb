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
internal sealed class ConfigurationRejectedRule : Rule<RejectedState>
{
    private static readonly IReadOnlyDictionary<string, double> NoEvidence = new Dictionary<string, double>();

    public override string Name => "configuration_rejected";

    public override IReadOnlyList<FaultSheet> Faults =>
        [Sheet(FaultType.ConfigurationRejected, "Domain §2: operator side, a command or setting to correct; no plant fault")];

    public override IReadOnlyList<string> EventKinds => [Contracts.EventKinds.CommandResult];

    public override string Signals => "`command_result` events with `result` `rejected` (by the gateway) or `device_error` (by the device)";

    public override string Debounce => "none: the first refusal";

    public override string Clears => "the next command carried out for the same asset (`result` `done`)";

    public override RuleScope Scope => RuleScope.Gateway | RuleScope.Device;

    public override void OnEvent(GatewaySession session, DeviceState? device, GatewayEvent gatewayEvent, ICollection<FaultTransition> output)
    {
        if (gatewayEvent.Attributes is not { } attributes || !attributes.TryGetValue("result", out var result))
        {
            return;
        }

        var asset = device?.Asset ?? session.Asset;
        var state = device is not null ? State(device) : State(session);
        var active = state.Rejected;
        var action = attributes.GetValueOrDefault("action") ?? "command";
        switch (result)
        {
            case "rejected" or "device_error" when !active:
                state.Rejected = true;
                var by = result == "rejected" ? "the gateway" : "the device";
                var reason = string.IsNullOrWhiteSpace(gatewayEvent.Message) ? "" : $": {gatewayEvent.Message}";
                var summary = $"{action} refused by {by}{reason}";
                output.Add(device is not null
                    ? device.Detected(asset, FaultType.ConfigurationRejected, FaultType.ConfigurationRejected.DefaultGrade(), gatewayEvent.Ts, summary, NoEvidence)
                    : new FaultDetected(asset, FaultType.ConfigurationRejected, FaultType.ConfigurationRejected.DefaultGrade(), gatewayEvent.Ts, summary, NoEvidence, session.Crew, session.Zone));
                break;
            case "done" when active:
                state.Rejected = false;
                output.Add(new FaultCleared(asset, FaultType.ConfigurationRejected, gatewayEvent.Ts, $"{action} carried out"));
                break;
        }
    }

    protected override void Reconcile(RejectedState state, AssetOwner owner, Func<AssetRef, FaultType, bool> isOpen, DateTimeOffset now) =>
        state.Rejected = isOpen(owner.Asset, FaultType.ConfigurationRejected);
}

/// <summary>Whether a command for a device (or gateway) stands refused.</summary>
internal sealed class RejectedState
{
    public bool Rejected { get; set; }
}
