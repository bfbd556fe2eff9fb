namespace Telemetry.Devices.Profiles;

/// <summary>The named content of a bitfield point.</summary>
/// <param name="Flags">Single bits, each decoded to a boolean value of its own name.</param>
/// <param name="Series">A run of like bits (one per lamp, breaker or output), if any.</param>
public sealed record BitfieldLayout(IReadOnlyList<BitFlag> Flags, BitSeries? Series)
{
    /// <summary>The value names the bitfield produces, in decoding order.</summary>
    public IEnumerable<string> ValueNames()
    {
        foreach (var flag in Flags)
        {
            yield return flag.Name;
        }

        if (Series is null)
        {
            yield break;
        }

        if (Series.TotalName is not null)
        {
            yield return Series.TotalName;
        }

        for (var n = 1; n <= Series.Count; n++)
        {
            yield return Series.NameOf(n);
        }
    }
}

/// <summary>One named bit of a bitfield.</summary>
/// <param name="Bit">Bit index, 0 = least significant.</param>
/// <param name="Name">Value name, a boolean (no unit suffix).</param>
/// <param name="Invert">Report the bit inverted (a "closed" bit reported as <c>door_open</c>).</param>
/// <param name="Description">Free text for people.</param>
public sealed record BitFlag(int Bit, string Name, bool Invert, string? Description = null);

/// <summary>A run of bits that mean the same thing for consecutive items, such as one bit per lamp.</summary>
/// <param name="FirstBit">Bit index of item 1.</param>
/// <param name="Count">Number of items (bits).</param>
/// <param name="NamePattern">Value name of each item, with <c>{n}</c> standing for its 1-based number.</param>
/// <param name="TotalName">Value name of the count of set bits in the run (such as <c>lamps_lit</c>), if wanted.</param>
/// <param name="Description">Free text for people.</param>
public sealed record BitSeries(int FirstBit, int Count, string NamePattern, string? TotalName, string? Description = null)
{
    /// <summary>The placeholder in <see cref="NamePattern"/> replaced by the item number.</summary>
    public const string NumberPlaceholder = "{n}";

    /// <summary>The value name of item <paramref name="n"/> (1-based).</summary>
    public string NameOf(int n) =>
        NamePattern.Replace(NumberPlaceholder, n.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

    /// <summary>The mask of the run's bits.</summary>
    public ulong Mask => (Count >= 64 ? ulong.MaxValue : (1UL << Count) - 1) << FirstBit;
}
