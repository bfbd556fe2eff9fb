using System.Globalization;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Thresholds;
using Telemetry.Rules.Evaluation;

namespace Telemetry.Rules.Catalogue;

/// <summary>
/// No good reading from a device for the limit of poll intervals (3 × its own interval):
/// <see cref="FaultType.DeviceSilent"/>, grade 3. An error reading is how the gateway says the device could not be
/// read, so it does not count as hearing from it. Time is measured on arrival, not by the readings' own times, so a
/// gateway clock that is off cannot make a device look silent. Devices of an offline gateway are not reported:
/// the gateway is the fault. Clears on the next good reading.
/// </summary>
internal sealed class DeviceSilenceRule
{
    public void Heard(DeviceState device, DateTimeOffset received, DateTimeOffset at, ICollection<FaultTransition> output)
    {
        device.LastGood = received;
        if (device.Silent)
        {
            device.Silent = false;
            output.Add(new FaultCleared(device.Asset, FaultType.DeviceSilent, at, "device reporting again"));
        }
    }

    public void Check(DeviceState device, DateTimeOffset now, ICollection<FaultTransition> output)
    {
        if (device.Silent || device.Plant is not { } plant || device.Gateway.IsOffline)
        {
            return;
        }

        var intervals = device.Thresholds[ThresholdCatalogue.SilentPollIntervals];
        var limit = plant.PollInterval * intervals;
        var quiet = now - device.LastGood;
        if (quiet < limit)
        {
            return;
        }

        device.Silent = true;
        output.Add(device.Detected(device.Asset, FaultType.DeviceSilent, FaultType.DeviceSilent.DefaultGrade(), now,
            string.Create(CultureInfo.InvariantCulture, $"no good reading for {quiet.TotalSeconds:0} s ({intervals:0} poll intervals of {plant.PollInterval.TotalSeconds:0} s)"),
            new Dictionary<string, double>(StringComparer.Ordinal) { ["silent_s"] = quiet.TotalSeconds, ["poll_interval_s"] = plant.PollInterval.TotalSeconds }));
    }
}
