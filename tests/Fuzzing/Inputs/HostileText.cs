using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Random = System.Random;

namespace Telemetry.Fuzzing.Inputs;

/// <summary>
/// Hostile short texts around valid ones (identifiers, ticket numbers in a route): characters replaced,
/// inserted, deleted or doubled, digits of other scripts, the wrong case, blanks, separators, long runs.
/// </summary>
public static class HostileText
{
    private const string Alphabet = "0123456789AZYWaz-_./ %+\t\0\u0660\u0663\uFF10\uFF19\u00e9\u8def";

    private static readonly string[] Hostile =
    [
        "", " ", "-", "--", "0", "-0001", "YW", "YW-", "YW2611", "YW2611-", "YW2611-0", "YW2611-000", "YW2611-0000", "YW2611-00001",
        "YW2611-2147483647", "YW2611-2147483648", "YW2611-99999999999999999999", "YW2600-0001", "YW2613-0001", "YW9912-0001",
        "yw2611-0007", "ABCDEFGHI2611-0001", "ABCDEFGH2611-0001", "YW26١١-0007", "YW2611-٠٠٠٧", "YW2611-+007", "YW2611- 007",
        "YW2611-0007 ", " YW2611-0007", "YW2611-0007\n", "YW2611--0007", "YW-2611-0007", "YW2611-0007-0001", "YW2611-0x10",
        "%59W2611-0007", "YW2611%2D0007", "../../etc/passwd", "路灯2611-0007", "😀2611-0007", "YW2611-0007\u0000",
        new string('9', 400), "YW2611-" + new string('0', 400) + "1", new string('A', 10_000) + "2611-0001",
    ];

    /// <summary>Hostile texts around <paramref name="valid"/>, as UTF-8.</summary>
    public static Gen<byte[]> Around(params string[] valid)
    {
        ArgumentNullException.ThrowIfNull(valid);
        return Gen.Choose(0, int.MaxValue).Select(seed => Encoding.UTF8.GetBytes(Make(new Random(seed), valid)));
    }

    /// <summary>One text from <paramref name="random"/>: what <see cref="Around"/> yields.</summary>
    public static string Make(Random random, IReadOnlyList<string> valid)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(valid);
        switch (random.Next(10))
        {
            case 0:
                return Hostile[random.Next(Hostile.Length)];
            case 1:
                return valid[random.Next(valid.Count)];
        }

        var text = new StringBuilder(valid[random.Next(valid.Count)]);
        for (var edits = random.Next(1, 4); edits > 0; edits--)
        {
            var at = random.Next(text.Length + 1);
            switch (random.Next(5))
            {
                case 0 when at < text.Length:
                    text[at] = Alphabet[random.Next(Alphabet.Length)];
                    break;
                case 1 when at < text.Length:
                    text.Remove(at, 1);
                    break;
                case 2 when at < text.Length:
                    text.Insert(at, text[at].ToString(), random.Next(1, 4));
                    break;
                case 3:
                    text.Insert(at, (char)random.Next(0, 0x10000));
                    break;
                default:
                    text.Insert(at, Alphabet[random.Next(Alphabet.Length)]);
                    break;
            }
        }

        return text.ToString();
    }
}
