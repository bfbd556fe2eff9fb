using Telemetry.Contracts;

namespace Telemetry.Devices.Decoding;

/// <summary>The values decoded from one poll of a device, in profile order.</summary>
public sealed class DecodedReading
{
    /// <summary>Creates a reading from decoded and rejected values.</summary>
    public DecodedReading(IReadOnlyList<DecodedValue> values, IReadOnlyList<RejectedValue> rejected)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(rejected);
        Values = values;
        Rejected = rejected;
    }

    /// <summary>Every value, device-level first, then circuit 1, circuit 2... in profile order.</summary>
    public IReadOnlyList<DecodedValue> Values { get; }

    /// <summary>Points whose raw value was not valid; they have no entry in <see cref="Values"/>.</summary>
    public IReadOnlyList<RejectedValue> Rejected { get; }

    /// <summary>The circuits that have values, in order.</summary>
    public IReadOnlyList<int> Circuits => Values.Where(v => v.Circuit is not null).Select(v => v.Circuit!.Value).Distinct().Order().ToList();

    /// <summary>
    /// The values of one level by name, in profile order: the device-level values when
    /// <paramref name="circuit"/> is null, otherwise that circuit's. Serialised, this is a reading's <c>values</c>.
    /// </summary>
    public IReadOnlyDictionary<string, PointValue> ValuesOf(int? circuit = null)
    {
        var values = new OrderedDictionary<string, PointValue>(StringComparer.Ordinal);
        foreach (var value in Values.Where(v => v.Circuit == circuit))
        {
            values[value.Name] = value.Value;
        }

        return values;
    }

    /// <summary>
    /// The values of one level as a <see cref="Reading"/> carries them (its <c>values</c>): numbers and booleans
    /// only, so text points (firmware versions, serial numbers) are left out. A multi-circuit device sends one
    /// reading for its device-level values (<paramref name="circuit"/> null) and one per circuit.
    /// </summary>
    public IReadOnlyDictionary<string, ReadingValue> ReadingValuesOf(int? circuit = null)
    {
        var values = new OrderedDictionary<string, ReadingValue>(StringComparer.Ordinal);
        foreach (var value in Values.Where(v => v.Circuit == circuit && v.Value.IsReadingValue))
        {
            values[value.Name] = value.Value.ToReadingValue();
        }

        return values;
    }

    /// <summary>The value called <paramref name="name"/> (of <paramref name="circuit"/>), or null.</summary>
    public PointValue? Find(string name, int? circuit = null) =>
        Values.FirstOrDefault(v => v.Name == name && v.Circuit == circuit)?.Value;
}
