using Telemetry.Devices.Decoding;

namespace Telemetry.Simulator.Plant;

/// <summary>The name of a value: its semantic name and its circuit (null for device-level values).</summary>
public readonly record struct ValueKey(string Name, int? Circuit)
{
    public override string ToString() => Circuit is { } c ? $"{Name}[{c}]" : Name;
}

/// <summary>What a device reports at one moment, by value name, in the names of the profiles.</summary>
public sealed class DeviceValues
{
    private readonly Dictionary<ValueKey, PointValue> values = [];

    public IReadOnlyDictionary<ValueKey, PointValue> All => values;

    public void Set(string name, PointValue value, int? circuit = null) => values[new ValueKey(name, circuit)] = value;

    public void Set(ValueKey key, PointValue value) => values[key] = value;

    public PointValue? Find(string name, int? circuit = null) => values.TryGetValue(new ValueKey(name, circuit), out var value) ? (PointValue?)value : null;
}
