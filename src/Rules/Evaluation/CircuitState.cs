using Telemetry.Maintenance.Faults;

namespace Telemetry.Rules.Evaluation;

/// <summary>The lighting conditions of one circuit (or of a single-circuit device as a whole).</summary>
internal sealed class CircuitState(DeviceState device, AssetRef asset, int number)
{
    public DeviceState Device { get; } = device;

    /// <summary>The device itself for a whole-device circuit, else the device's circuit.</summary>
    public AssetRef Asset { get; } = asset;

    /// <summary>1-based circuit number, or 0 for the whole device.</summary>
    public int Number { get; } = number;

    /// <summary>Lamps the site file puts on this circuit (or device); 0 when it says nothing.</summary>
    public int LampsFromSiteFile => Device.Plant is not { } plant ? 0 : Number == 0 ? plant.LampsInstalled : plant.LampsOn(Number);

    public LampClassTracker Lamps { get; } = new();

    /// <summary>The newest reading of this circuit judged; an older or equal one is a redelivery or a replay.</summary>
    public DateTimeOffset LastJudged { get; set; } = DateTimeOffset.MinValue;

    /// <summary>The class the last evaluated reading showed (before debounce), which decides what is healthy to learn from.</summary>
    public LampClass LastObserved { get; set; }

    /// <summary>True when the last reading evaluated for lamps could say how many were lit.</summary>
    public bool LastObservedKnown { get; set; }

    public CurrentBaseline Baseline { get; } = new();

    public bool CableTheft { get; set; }

    public HeldCondition DayBurning { get; } = new();
}
