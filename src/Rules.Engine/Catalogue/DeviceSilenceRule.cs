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
internal sealed class DeviceSilenceRule : Rule<SilenceState>
{
    public static readonly ThresholdParameter PollIntervals = new("device_silent.poll_intervals", 3, 1, 1000, true, "intervals",
        "Poll intervals without a good reading before a device is silent (grade 3).");

    public override string Name => "device_silence";

    public override IReadOnlyList<FaultSheet> Faults =>
        [Sheet(FaultType.DeviceSilent, "Domain §2: the device is not watched; what it feeds may still work")];

    public override IReadOnlyList<ThresholdParameter> Thresholds => [PollIntervals];

    public override string Signals => "no good reading for the limit while the device's gateway delivers others (time on arrival)";

    public override string Debounce => "`device_silent.poll_intervals` × the device's poll interval, restarted when its gateway starts delivering or comes back online";

    public override string Clears => "the next good reading";

    public override RuleScope Scope => RuleScope.Device;

    public override bool JudgesAbsence => true;

    public override void OnHeard(DeviceState device, DateTimeOffset at, ICollection<FaultTransition> output)
    {
        if (Peek(device) is { Silent: true } state)
        {
            state.Silent = false;
            output.Add(new FaultCleared(device.Asset, FaultType.DeviceSilent, at, "device reporting again"));
        }
    }

    public override void OnDeviceTick(DeviceState device, DateTimeOffset now, ICollection<FaultTransition> output)
    {
        // A device is watched for silence by the gateway its file puts it on, not by one it strayed to.
        if (device.Plant is not { } plant || plant.Gateway.Id != device.Gateway.Id || device.Gateway.IsOffline
            || device.Gateway.LastDelivered is not { } delivered || Peek(device) is { Silent: true })
        {
            return;
        }

        var intervals = device.Thresholds[PollIntervals];
        var limit = plant.PollInterval * intervals;
        var quiet = now - device.LastGood;
        if (quiet < limit || delivered - device.LastGood < limit)
        {
            return;
        }

        State(device).Silent = true;
        output.Add(device.Detected(device.Asset, FaultType.DeviceSilent, FaultType.DeviceSilent.DefaultGrade(), now,
            string.Create(CultureInfo.InvariantCulture,
                $"no good reading for {quiet.TotalSeconds:0} s ({intervals:0} poll intervals of {plant.PollInterval.TotalSeconds:0} s) while its gateway delivered others"),
            new Dictionary<string, double>(StringComparer.Ordinal) { ["silent_s"] = quiet.TotalSeconds, ["poll_interval_s"] = plant.PollInterval.TotalSeconds }));
    }

    protected override void Reconcile(SilenceState state, AssetOwner owner, Func<AssetRef, FaultType, bool> isOpen, DateTimeOffset now) =>
        state.Silent = isOpen(owner.Asset, FaultType.DeviceSilent);
}

/// <summary>Whether a device is reported silent.</summary>
internal sealed class SilenceState
{
    public bool Silent { get; set; }
}
