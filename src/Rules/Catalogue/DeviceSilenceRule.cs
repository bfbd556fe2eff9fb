using System.Globalization;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Thresholds;
using Telemetry.Rules.Evaluation;

namespace Telemetry.Rules.Catalogue;

/// <summary>
/// A device its gateway has stopped delivering while it still delivers others: <see cref="FaultType.DeviceSilent"/>,
/// grade 3. The rule: a device is silent when it has had no good reading for the limit of poll intervals (3 × its own
/// interval) and its gateway delivered a batch at or after the moment that limit ran out. Then the gateway, the broker
/// and Rules were all moving, and what they moved did not include the device. A gateway that delivers nothing says
/// nothing about its devices: it is either offline (the gateway is the fault) or the stream is stalled upstream or in
/// Rules itself, and one ticket per device would only bury the real cause.
/// An error reading is how the gateway says the device could not be read, so it does not count as hearing from it
/// (it does count as the gateway delivering). Time is measured on arrival, not by the readings' own times, so a
/// gateway clock that is off cannot make a device look silent. The limit runs again from a gateway's first batch (Rules
/// just started) and from its coming back online (<see cref="GatewaySession.RestartSilenceLimits"/>), so every device
/// gets its full limit to be heard. Clears on the next good reading.
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
        if (device.Silent || device.Plant is not { } plant || device.Gateway.IsOffline || device.Gateway.LastDelivered is not { } delivered)
        {
            return;
        }

        var intervals = device.Thresholds[ThresholdCatalogue.SilentPollIntervals];
        var limit = plant.PollInterval * intervals;
        var quiet = now - device.LastGood;
        if (quiet < limit || delivered - device.LastGood < limit)
        {
            return;
        }

        device.Silent = true;
        output.Add(device.Detected(device.Asset, FaultType.DeviceSilent, FaultType.DeviceSilent.DefaultGrade(), now,
            string.Create(CultureInfo.InvariantCulture,
                $"no good reading for {quiet.TotalSeconds:0} s ({intervals:0} poll intervals of {plant.PollInterval.TotalSeconds:0} s) while its gateway delivered others"),
            new Dictionary<string, double>(StringComparer.Ordinal) { ["silent_s"] = quiet.TotalSeconds, ["poll_interval_s"] = plant.PollInterval.TotalSeconds }));
    }
}
