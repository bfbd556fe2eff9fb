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
internal sealed class UnknownDeviceRule
{
    private static readonly IReadOnlyDictionary<string, double> NoEvidence = new Dictionary<string, double>();

    public void Evaluate(DeviceState device, Reading reading, ICollection<FaultTransition> output)
    {
        if (device.UnknownReported)
        {
            return;
        }

        device.UnknownReported = true;
        output.Add(device.Detected(device.Asset, FaultType.UnknownDevice, FaultType.UnknownDevice.DefaultGrade(), reading.Ts,
            $"device {device.Id} ({reading.Family.ToContractName()}) reports through gateway {device.Gateway.Id} but no site file of site {device.Gateway.Site} lists it",
            NoEvidence));
    }

    public void Known(DeviceState device, DateTimeOffset at, ICollection<FaultTransition> output)
    {
        if (device.UnknownReported)
        {
            device.UnknownReported = false;
            output.Add(new FaultCleared(device.Asset, FaultType.UnknownDevice, at, "device now listed in its site file"));
        }
    }

    /// <summary>A gateway no site file lists delivered readings of <paramref name="deviceIds"/> distinct devices.</summary>
    public void EvaluateGateway(GatewaySession session, int deviceIds, DateTimeOffset at, ICollection<FaultTransition> output)
    {
        if (session.UnknownReported || session.IsKnown)
        {
            return;
        }

        session.UnknownReported = true;
        var where = session.PlantSite is null
            ? $"no site file describes site {session.Site}"
            : $"no site file of site {session.Site} lists the gateway";
        output.Add(new FaultDetected(session.Asset, FaultType.UnknownDevice, FaultType.UnknownDevice.DefaultGrade(), at,
            string.Create(CultureInfo.InvariantCulture, $"gateway {session.Id} reports {deviceIds} device id{(deviceIds == 1 ? "" : "s")} but {where}"),
            new Dictionary<string, double>(StringComparer.Ordinal) { ["device_ids"] = deviceIds },
            session.Crew, session.Zone));
    }

    public void KnownGateway(GatewaySession session, DateTimeOffset at, ICollection<FaultTransition> output)
    {
        if (session.UnknownReported && session.IsKnown)
        {
            session.UnknownReported = false;
            output.Add(new FaultCleared(session.Asset, FaultType.UnknownDevice, at, "gateway now listed in its site file"));
        }
    }
}
