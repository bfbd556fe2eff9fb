using Telemetry.Forecasting.Numerics;

namespace Telemetry.Forecasting.Lamps;

/// <summary>
/// The lamps of one street circuit or high mast: nightly lamps-lit readings and the relamping that refitted dark
/// lamps (count per visit). Lamps that went dark between two readings are the fall in lamps lit plus those refitted.
/// </summary>
public sealed record LampGroupRecord(string Device, int? Circuit, int Installed, IReadOnlyList<Observation> Lit, IReadOnlyList<Observation> Replaced)
{
    /// <summary>The asset a forecast names: the mast, or the controller and circuit ("sc-01/2").</summary>
    public string Asset => Circuit is { } circuit ? $"{Device}/{circuit}" : Device;

    /// <summary>Lamps that went dark after <paramref name="from"/> up to and including <paramref name="to"/>, from the readings at those times.</summary>
    public int FailuresBetween(DateTimeOffset from, DateTimeOffset to)
    {
        var before = LitAt(from);
        var after = LitAt(to);
        var refitted = Replaced.Where(r => r.Time > from && r.Time <= to).Sum(r => r.Value);
        return (int)Math.Round(before - after + refitted);
    }

    /// <summary>The last lamps-lit reading at or before <paramref name="time"/> (all lit before the first reading).</summary>
    public double LitAt(DateTimeOffset time)
    {
        var index = BinarySearch(Lit, time);
        return index >= 0 ? Lit[index].Value : Installed;
    }

    private static int BinarySearch(IReadOnlyList<Observation> series, DateTimeOffset time)
    {
        int low = 0, high = series.Count - 1, found = -1;
        while (low <= high)
        {
            var middle = (low + high) / 2;
            if (series[middle].Time <= time)
            {
                found = middle;
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return found;
    }
}
