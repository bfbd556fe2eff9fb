using System.Globalization;
using Telemetry.Contracts;
using Telemetry.Maintenance.Faults;
using Telemetry.Rules.Evaluation;

namespace Telemetry.Rules.Catalogue;

/// <summary>
/// A device or gateway reporting that no site file knows: <see cref="FaultType.UnknownDevice"/>, grade 4 (a site file
/// to fix, not a plant fault). On a gateway the files list it is raised once per device; a gateway they do not list
/// (or a site they do not describe) gets one fault on the gateway itself, naming how many device ids it reported,
/// since one per device would let any invented gateway fill the ticket table. Unknown devices' readings are not
/// otherwise evaluated, since nothing says what lamps they have or who looks after them. Clears on the first reading
/// after a reload of the site files that adds the device (or the gateway).
/// </summary>
internal sealed class UnknownDeviceRule : Rule<UnknownState>
{
    private static readonly IReadOnlyDictionary<string, double> NoEvidence = new Dictionary<string, double>();

    public override string Name => "unknown_device";

    public override IReadOnlyList<FaultSheet> Faults =>
        [Sheet(FaultType.UnknownDevice, "Domain §2: operator side, a site file to fix; no plant fault")];

    public override string Signals => "a reading from a device (or gateway) no site file lists";

    public override string Debounce => "none: the first reading";

    public override string Clears => "the first reading after the site files list the device (or gateway)";

    public override RuleScope Scope => RuleScope.Gateway | RuleScope.Device;

    public override void OnDelivered(DeviceState device, Reading reading, ICollection<FaultTransition> output)
    {
        if (device.Plant is not null)
        {
            if (Peek(device) is { Reported: true } known)
            {
                known.Reported = false;
                output.Add(new FaultCleared(device.Asset, FaultType.UnknownDevice, reading.Ts, "device now listed in its site file"));
            }

            return;
        }

        var state = State(device);
        if (state.Reported)
        {
            return;
        }

        state.Reported = true;
        output.Add(device.Detected(device.Asset, FaultType.UnknownDevice, FaultType.UnknownDevice.DefaultGrade(), reading.Ts,
            $"device {device.Id} ({reading.Family.ToContractName()}) reports through gateway {device.Gateway.Id} but no site file of site {device.Gateway.Site} lists it",
            NoEvidence));
    }

    public override void OnBatch(GatewaySession session, int unknownDeviceIds, DateTimeOffset at, ICollection<FaultTransition> output)
    {
        if (session.IsKnown)
        {
            if (Peek(session) is { Reported: true } known)
            {
                known.Reported = false;
                output.Add(new FaultCleared(session.Asset, FaultType.UnknownDevice, at, "gateway now listed in its site file"));
            }

            return;
        }

        var state = State(session);
        if (state.Reported || unknownDeviceIds == 0)
        {
            return;
        }

        state.Reported = true;
        var where = session.PlantSite is null
            ? $"no site file describes site {session.Site}"
            : $"no site file of site {session.Site} lists the gateway";
        output.Add(new FaultDetected(session.Asset, FaultType.UnknownDevice, FaultType.UnknownDevice.DefaultGrade(), at,
            string.Create(CultureInfo.InvariantCulture, $"gateway {session.Id} reports {unknownDeviceIds} device id{(unknownDeviceIds == 1 ? "" : "s")} but {where}"),
            new Dictionary<string, double>(StringComparer.Ordinal) { ["device_ids"] = unknownDeviceIds },
            session.Crew, session.Zone));
    }

    protected override void Reconcile(UnknownState state, AssetOwner owner, Func<AssetRef, FaultType, bool> isOpen, DateTimeOffset now) =>
        state.Reported = isOpen(owner.Asset, FaultType.UnknownDevice);
}

/// <summary>Whether a device or gateway is reported as unknown.</summary>
internal sealed class UnknownState
{
    public bool Reported { get; set; }
}
