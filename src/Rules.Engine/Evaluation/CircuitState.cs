using Telemetry.Maintenance.Faults;

namespace Telemetry.Rules.Evaluation;

/// <summary>One lighting circuit of a device (or a single-circuit device as a whole), and the state rules keep on it.</summary>
internal sealed class CircuitState
{
    public CircuitState(DeviceState device, AssetRef asset, int number)
    {
        Device = device;
        Asset = asset;
        Number = number;
        RuleStates = new object?[device.RuleStates.Length];
        device.Gateway.Rules.Dispatch.Prepare(this);
    }

    public DeviceState Device { get; }

    /// <summary>The device itself for a whole-device circuit, else the device's circuit.</summary>
    public AssetRef Asset { get; }

    /// <summary>1-based circuit number, or 0 for the whole device.</summary>
    public int Number { get; }

    /// <summary>Lamps the site file puts on this circuit (or device); 0 when it says nothing.</summary>
    public int LampsFromSiteFile => Device.Plant is not { } plant ? 0 : Number == 0 ? plant.LampsInstalled : plant.LampsOn(Number);

    /// <summary>The newest reading of this circuit judged; an older or equal one is a redelivery or a replay.</summary>
    public DateTimeOffset LastJudged { get; set; } = DateTimeOffset.MinValue;

    /// <summary>Each rule's state on this circuit, by the rule's slot in its set; null until the rule first needs it.</summary>
    public object?[] RuleStates { get; }
}
