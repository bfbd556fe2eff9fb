using System.Text.Json.Serialization;

namespace Telemetry.Rules.Evaluation;

/// <summary>
/// A circuit's learned current when lit and healthy: the plain mean of the first N readings, then an exponentially
/// weighted mean (span N) so that lamp replacements and seasonal drift move it slowly.
/// </summary>
internal sealed class CurrentBaseline
{
    /// <summary>Healthy readings learned from (capped so that it cannot overflow).</summary>
    [JsonInclude]
    public long Count { get; private set; }

    /// <summary>The baseline current (A).</summary>
    [JsonInclude]
    public double Mean { get; private set; }

    /// <summary>True once <paramref name="readings"/> healthy readings have been learned.</summary>
    public bool IsTrusted(int readings) => Count >= Math.Max(1, readings);

    public void Learn(double current, int readings)
    {
        var span = Math.Max(1, readings);
        if (Count < span)
        {
            Count++;
            Mean += (current - Mean) / Count;
            return;
        }

        Mean += 2.0 / (span + 1) * (current - Mean);
        if (Count < int.MaxValue)
        {
            Count++;
        }
    }
}
