using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Random = System.Random;

namespace Telemetry.Fuzzing.Inputs;

/// <summary>
/// Hostile query strings for an HTTP endpoint: its own parameters (in any case, repeated, percent-encoded,
/// empty) and strangers, with values at every boundary the binder and the checks have (huge and signed
/// numbers, other digits, times of the edges, names in the wrong case, unicode, bad percent-escapes), and
/// pieces of raw noise. Made from a seed as <see cref="HostileJson"/> is.
/// </summary>
public static class HostileQuery
{
    private static readonly string[] Values =
    [
        "", " ", "0", "1", "-1", "2", "4", "5", "100", "1000", "1001", "2147483647", "2147483648", "-2147483648", "-2147483649",
        "99999999999999999999", "1e3", "1.0", "0x10", " 2", "2 ", "+1", "%2B1", "%32", "١", "٣", "２", "1,2", "true", "false", "True",
        "FALSE", "yes", "on", "null", "undefined", "NaN",
        "open", "acknowledged", "on_site", "resolved", "closed", "Open", "open,acknowledged", "open,,closed", ",,,", " open , closed ", "open,nope",
        "mast_outage", "low_insulation", "gateway_offline", "MastOutage", "unknown_fault", "north", "gw-north-01", "mast-07", "crew-1", "a/b",
        "north/gw-north-01", "north/gw-north-01/mast-07/2", "north/gw-north-01/mast-07/2/x", "north//mast", "/", "//", "north/gw/../x",
        "2026-11-22T19:00:00Z", "2026-11-22T19:00:00.000+08:00", "2026-11-22", "2099-12-31T23:59:59Z", "1970-01-01T00:00:00Z",
        "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.9999999Z", "9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00", "2026-02-30",
        "11/22/2026", "22.11.2026", "yesterday", "%00", "%FF", "%E2%82%AC", "%", "%%", "%zz", "%2", "&", "=", "==", "?", "#", "+", "%20",
        "<script>", "'; DROP TABLE tickets; --", "%27%3B%20DROP%20TABLE%20tickets", "路灯", "😀", "\u0000", "\ud800", "\u202e",
        new string('a', 64), new string('a', 65), new string('9', 400), new string('x', 10_000), string.Concat(Enumerable.Repeat("open,", 5_000)),
    ];

    private static readonly string[] Punctuation = ["&", "&&", ";", "=", "?", "#", "%", "+", " ", "\t", "\r\n", "[]", "[0]"];

    /// <summary>Hostile query strings (without the leading <c>?</c>) for an endpoint taking <paramref name="parameters"/>.</summary>
    /// <param name="valid">A valid query string of the endpoint, also fed as it is and cut short.</param>
    /// <param name="parameters">The endpoint's parameters.</param>
    public static Gen<byte[]> For(string valid, params string[] parameters)
    {
        ArgumentNullException.ThrowIfNull(valid);
        ArgumentNullException.ThrowIfNull(parameters);
        return Gen.Sized(size => Gen.Choose(0, int.MaxValue).Select(seed => Encoding.UTF8.GetBytes(Make(new Random(seed), size, valid, parameters))));
    }

    /// <summary>One query string from <paramref name="random"/>: what <see cref="For"/> yields, as text.</summary>
    public static string Make(Random random, int size, string valid, IReadOnlyList<string> parameters)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(valid);
        ArgumentNullException.ThrowIfNull(parameters);
        switch (random.Next(20))
        {
            case 0:
                return Noise(random, size);
            case 1:
                return valid;
            case 2:
                return valid[..random.Next(valid.Length)];
            case 3:
                return valid + "&" + Make(random, size, valid, parameters);
        }

        var pairs = new List<string>();
        for (var count = random.Next(0, 7); count > 0; count--)
        {
            var key = Key(random, parameters);
            var value = random.Next(3) == 0 ? Noise(random, 6) : Values[random.Next(Values.Length)];
            var pair = random.Next(12) switch
            {
                0 => key,
                1 => key + "=",
                2 => Uri.EscapeDataString(key) + "=" + Uri.EscapeDataString(value),
                3 => key + "=" + value + "=" + value,
                _ => key + "=" + (random.Next(2) == 0 ? value : Uri.EscapeDataString(value)),
            };
            pairs.Add(pair);

            // The same parameter again, as ASP.NET Core binds repeated keys joined by commas.
            if (random.Next(6) == 0)
            {
                pairs.Add(key + "=" + Values[random.Next(Values.Length)]);
            }
        }

        var separator = random.Next(8) == 0 ? Punctuation[random.Next(Punctuation.Length)] : "&";
        return string.Join(separator, pairs);
    }

    private static string Key(Random random, IReadOnlyList<string> parameters)
    {
        var name = parameters[random.Next(parameters.Count)];
        return random.Next(10) switch
        {
            0 => name.ToUpperInvariant(),
            1 => string.Concat(name.Select(c => string.Create(CultureInfo.InvariantCulture, $"%{(int)c:X2}"))),
            2 => name + "[]",
            3 => Values[random.Next(Values.Length)],
            4 => " " + name,
            _ => name,
        };
    }

    private static string Noise(Random random, int size)
    {
        var text = new StringBuilder();
        for (var length = random.Next(0, (2 * size) + 2); length > 0; length--)
        {
            text.Append(random.Next(4) switch
            {
                0 => (char)random.Next(0, 0x10000),
                1 => Punctuation[random.Next(Punctuation.Length)],
                _ => (char)random.Next(0x20, 0x7F),
            });
        }

        return text.ToString();
    }
}
