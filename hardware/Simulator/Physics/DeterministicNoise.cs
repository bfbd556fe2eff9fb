namespace Telemetry.Simulator.Physics;

/// <summary>
/// Noise that is a pure function of (seed, key, time): the same run gives the same values however often and
/// whenever the plant is stepped, so a run at 60x, one stepped by a test and one replayed agree.
/// </summary>
public sealed class DeterministicNoise
{
    private readonly ulong seed;

    public DeterministicNoise(int seed, string key)
    {
        this.seed = Mix(((ulong)(uint)seed << 32) ^ StableHash.Of(key));
    }

    /// <summary>Smooth noise in -1..1 that wanders over about <paramref name="period"/> (value noise, cosine interpolated).</summary>
    public double Smooth(string channel, DateTimeOffset time, TimeSpan period)
    {
        var position = time.ToUnixTimeMilliseconds() / period.TotalMilliseconds;
        var cell = (long)Math.Floor(position);
        var fraction = position - cell;
        var channelKey = StableHash.Of(channel);
        var a = Unit(channelKey, cell);
        var b = Unit(channelKey, cell + 1);
        var blend = (1 - Math.Cos(fraction * Math.PI)) / 2;
        return a + ((b - a) * blend);
    }

    /// <summary>A value in -1..1 fixed for <paramref name="channel"/> (a per-device constant such as a meter's offset).</summary>
    public double Constant(string channel) => Unit(StableHash.Of(channel), 0);

    private double Unit(ulong channel, long cell)
    {
        var bits = Mix(seed ^ Mix(channel ^ (ulong)cell));
        return ((bits >> 11) * (1.0 / (1UL << 53)) * 2) - 1;
    }

    private static ulong Mix(ulong z)
    {
        // splitmix64 finaliser
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

/// <summary>FNV-1a: a string hash that, unlike <see cref="string.GetHashCode()"/>, is the same in every process.</summary>
public static class StableHash
{
    public static ulong Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }

    /// <summary>A <see cref="Random"/> seed for one device of a run: the run's seed and the device's id.</summary>
    public static int SeedFor(int runSeed, string deviceId) => (int)(Of(deviceId) ^ (uint)runSeed ^ (Of(deviceId) >> 32));
}
