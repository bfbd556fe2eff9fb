using Telemetry.Contracts;
using Telemetry.Maintenance.Faults;
using Telemetry.Rules.Evaluation;

namespace Telemetry.Rules.Catalogue;

/// <summary>
/// A device reporting that no site file knows: <see cref="FaultType.UnknownDevice"/>, grade 4, once per device (a
/// site file to fix, not a plant fault). Its readings are not otherwise evaluated, since nothing says what lamps it
/// has or who looks after it. Clears on its first reading after a reload of the site files that adds it.
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
}
