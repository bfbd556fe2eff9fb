using FsCheck;
using FsCheck.Fluent;
using Random = System.Random;

namespace Telemetry.Fuzzing.Inputs;

/// <summary>
/// Hostile inputs for a path that reads JSON: mostly valid documents of the path with a few nodes replaced,
/// deleted, inserted, duplicated, wrapped or swapped (the leaves from <see cref="HostileLeaves"/>), so that
/// the input gets past the first checks and breaks a later one; then documents cut short, documents with bytes
/// flipped, hostile leaves alone, random bytes, and the valid documents themselves.
/// </summary>
/// <remarks>
/// FsCheck draws a seed and the size; the input is made from them by <see cref="Make"/> with a seeded
/// <see cref="Random"/>, which is far cheaper than composing generators node by node, so the same generator
/// serves 5,000 inputs in a test and a million in the benchmark.
/// </remarks>
public static class HostileJson
{
    /// <summary>Hostile inputs made from <paramref name="templates"/>, the valid documents of the path.</summary>
    public static Gen<byte[]> From(params JsonTemplate[] templates)
    {
        ArgumentNullException.ThrowIfNull(templates);
        if (templates.Length == 0)
        {
            throw new ArgumentException("a path needs at least one valid document", nameof(templates));
        }

        return Gen.Sized(size => Gen.Choose(0, int.MaxValue).Select(seed => Make(new Random(seed), size, templates)));
    }

    /// <summary>One input, from <paramref name="random"/>: what <see cref="From"/> yields.</summary>
    public static byte[] Make(Random random, int size, IReadOnlyList<JsonTemplate> templates)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(templates);
        var template = templates[random.Next(templates.Count)];
        return random.Next(100) switch
        {
            < 62 => Mutate(random, template),
            < 72 => Truncate(random, random.Next(4) == 0 ? Mutate(random, template) : template.Utf8),
            < 80 => FlipBytes(random, template.Utf8),
            < 85 => HostileLeaves.Document(random),
            < 93 => RandomBytes(random, size),
            _ => template.Utf8,
        };
    }

    /// <summary>The document with one to four of its nodes changed, none inside another's change.</summary>
    public static byte[] Mutate(Random random, JsonTemplate template)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(template);
        var count = random.Next(3) == 0 ? random.Next(2, 5) : 1;
        var edits = new List<Edit>(count);
        for (var attempt = 0; edits.Count < count && attempt < count * 4; attempt++)
        {
            if (Change(random, template) is { } edit && !edits.Exists(e => e.Overlaps(edit)))
            {
                edits.Add(edit);
            }
        }

        return Apply(template.Utf8, edits);
    }

    /// <summary>The first bytes of <paramref name="document"/>, cut anywhere.</summary>
    public static byte[] Truncate(Random random, byte[] document)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(document);
        return document.Length == 0 ? document : document[..random.Next(document.Length)];
    }

    private static Edit? Change(Random random, JsonTemplate template)
    {
        var spots = template.Spots;
        var index = random.Next(spots.Length);
        var spot = spots[index];
        switch (random.Next(100))
        {
            case < 25:
                return new Edit(spot.Start, spot.End, HostileLeaves.Value(random, template));

            case < 45:
                return new Edit(spot.Start, spot.End, HostileLeaves.SameKind(random, template, spot.Kind));

            case < 60 when spot.Parent >= 0:
                // Deleted with its key and the comma that went with it.
                return spot.NextMemberStart >= 0 ? new Edit(spot.MemberStart, spot.NextMemberStart, [])
                    : spot.PreviousEnd >= 0 ? new Edit(spot.PreviousEnd, spot.End, [])
                    : new Edit(spot.MemberStart, spot.End, []);

            case < 75 when spot.IsContainer:
                // A new first member or element: a hostile key (or one the object has already) and value.
                var empty = spot.End - spot.Start == 2;
                byte[] member = spot.Kind == System.Text.Json.JsonValueKind.Object
                    ? [.. HostileLeaves.Key(random, template), (byte)':', .. HostileLeaves.Value(random, template)]
                    : HostileLeaves.Value(random, template);
                return new Edit(spot.Start + 1, spot.Start + 1, empty ? member : [.. member, (byte)',']);

            case < 85 when spot.IsMember:
                // The same member twice: a duplicate key.
                return new Edit(spot.MemberStart, spot.MemberStart, [.. template.Utf8.AsSpan(spot.MemberStart, spot.End - spot.MemberStart), (byte)',']);

            case < 92:
                // The value wrapped: an array or an object where a scalar goes, and the other way round.
                var value = template.Utf8.AsSpan(spot.Start, spot.End - spot.Start);
                return random.Next(2) == 0
                    ? new Edit(spot.Start, spot.End, [(byte)'[', .. value, (byte)']'])
                    : new Edit(spot.Start, spot.End, [.. "{\"k\":"u8, .. value, (byte)'}']);

            default:
                // Another node's value in its place.
                var other = spots[random.Next(spots.Length)];
                return new Edit(spot.Start, spot.End, template.Utf8[other.Start..other.End]);
        }
    }

    private static byte[] Apply(byte[] document, List<Edit> edits)
    {
        edits.Sort((a, b) => a.Start.CompareTo(b.Start));
        var length = document.Length + edits.Sum(e => e.Bytes.Length - (e.End - e.Start));
        var result = new byte[length];
        var from = 0;
        var to = 0;
        foreach (var edit in edits)
        {
            document.AsSpan(from, edit.Start - from).CopyTo(result.AsSpan(to));
            to += edit.Start - from;
            edit.Bytes.CopyTo(result.AsSpan(to));
            to += edit.Bytes.Length;
            from = edit.End;
        }

        document.AsSpan(from).CopyTo(result.AsSpan(to));
        return result;
    }

    private static byte[] FlipBytes(Random random, byte[] document)
    {
        var bytes = new List<byte>(document);
        for (var flips = random.Next(1, 9); flips > 0 && bytes.Count > 0; flips--)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(4))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 2:
                    var marks = "{}[]\",:\\0e-.n "u8;
                    bytes.Insert(at, marks[random.Next(marks.Length)]);
                    break;
                default:
                    bytes.RemoveAt(at);
                    break;
            }
        }

        return [.. bytes];
    }

    private static byte[] RandomBytes(Random random, int size)
    {
        var bytes = new byte[random.Next(0, (4 * size) + 2)];
        if (random.Next(2) == 0)
        {
            random.NextBytes(bytes);
        }
        else
        {
            // Bytes of JSON's own alphabet, which get further into a reader than noise does.
            var alphabet = "{}[]\",:\\0123456789.eE-+ truefalsnl"u8;
            for (var i = 0; i < bytes.Length; i++)
            {
                bytes[i] = alphabet[random.Next(alphabet.Length)];
            }
        }

        return bytes;
    }

    /// <summary>Bytes <see cref="Start"/> to <see cref="End"/> of the document replaced by <see cref="Bytes"/> (an insertion when they are equal).</summary>
    private sealed record Edit(int Start, int End, byte[] Bytes)
    {
        public bool Overlaps(Edit other) =>
            Start == End || other.Start == other.End
                ? (Start == other.Start) || (Start == End ? Start > other.Start && Start < other.End : other.Start > Start && other.Start < End)
                : Start < other.End && other.Start < End;
    }
}
