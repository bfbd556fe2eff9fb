using Telemetry.Contracts;

namespace Telemetry.Rules.Evaluation;

/// <summary>Typed look-ups in a reading's values that neither throw nor allocate.</summary>
internal static class ReadingValues
{
    public static bool TryNumber(IReadOnlyDictionary<string, ReadingValue> values, string name, out double value)
    {
        if (values.TryGetValue(name, out var raw) && raw.Kind != ReadingValueKind.Boolean)
        {
            value = raw.AsDouble();
            return double.IsFinite(value);
        }

        value = 0;
        return false;
    }

    public static bool TryCount(IReadOnlyDictionary<string, ReadingValue> values, string name, out long value)
    {
        if (values.TryGetValue(name, out var raw) && raw.Kind != ReadingValueKind.Boolean)
        {
            value = raw.AsInteger();
            return true;
        }

        value = 0;
        return false;
    }

    /// <summary>A state; a count or number stands for true when not zero, as some profiles map bits to registers.</summary>
    public static bool TryFlag(IReadOnlyDictionary<string, ReadingValue> values, string name, out bool value)
    {
        if (values.TryGetValue(name, out var raw))
        {
            value = raw.AsBoolean();
            return true;
        }

        value = false;
        return false;
    }
}
