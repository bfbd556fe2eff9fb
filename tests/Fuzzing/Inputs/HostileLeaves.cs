using System.Globalization;
using System.Text;

namespace Telemetry.Fuzzing.Inputs;

/// <summary>
/// Values and property names a hostile or broken sender puts where a document has a value or a key, as raw
/// bytes so that they can be what JSON cannot carry: NaN, invalid escapes and UTF-8, duplicate keys.
/// </summary>
public static class HostileLeaves
{
    private static readonly string[] TokenTexts =
    [
        // Literals JSON has, and those it has not.
        "null", "true", "false", "NaN", "-NaN", "Infinity", "-Infinity", "+Infinity", "nan", "inf", "undefined", "None", "True", "NULL",

        // Numbers at and past every boundary a reader may have.
        "0", "-0", "0.0", "-0.0", "1", "-1", "1.5", "-1.5", "2", "3", "4", "5", "12", "24", "25", "100", "255", "256",
        "32767", "32768", "-32769", "65535", "65536", "2147483647", "2147483648", "-2147483648", "-2147483649", "4294967296",
        "9007199254740993", "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
        "18446744073709551615", "18446744073709551616", "1e400", "-1e400", "1e-400", "1E+308", "1.7976931348623157e308",
        "1.7976931348623159e308", "4.9e-324", "1e2147483648", "1e-2147483649", "0.1", "1.0", "1e0", "1E2", "123456789012345678901234567890.5",
        "1" + new string('0', 400), "-" + new string('9', 400), "0." + new string('0', 400) + "1", "1" + new string('0', 20) + ".0",

        // Numbers JSON does not allow.
        "01", "-01", "1.", ".5", "+1", "0x10", "1e", "1e+", "-", "--1", "1_000", "١٢", "0b1",

        // Strings: empty, blank, escapes valid and not, surrogates alone and paired, text of other scripts.
        "\"\"", "\" \"", "\"\\u0000\"", "\"a\\u0000b\"", "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"", "\"\\udbff\\udfff\"", "\"\\uDEAD\"",
        "\"\\uFFFE\"", "\"\\uFEFF\"", "\"\\u202e\"", "\"\\u001f\"", "\"\\b\\f\\n\\r\\t\"", "\"\\/\"", "\"\\\\\"", "\"\\\"\"",
        "\"\\x41\"", "\"\\u12\"", "\"\\uzzzz\"", "\"\\", "\"unterminated", "\"a\u0001b\"", "\"line\nbreak\"", "\"tab\there\"",
        "\"é\"", "\"路灯\"", "\"😀\"", "\"\u00a0\"", "\"\u3000\"",

        // Markup and injections that must stay text.
        "\"<script>alert(1)</script>\"", "\"<![CDATA[x]]>\"", "\"'; DROP TABLE tickets; --\"", "\"${jndi:ldap://x/a}\"",
        "\"{{7*7}}\"", "\"../../../../etc/passwd\"", "\"/dev/null\"", "\"%s%s%n\"", "\"a,b=c d\"", "\"m,tag=1 f=1 1\"", "\"a\\\\\"",
        "\"null\"", "\"true\"", "\"0\"", "\"-1\"", "\"NaN\"", "\"1e400\"",

        // Identifiers just inside and outside the rules.
        "\"a\"", "\"A\"", "\"" + new string('a', 64) + "\"", "\"" + new string('a', 65) + "\"", "\"-lead\"", "\".dot\"", "\"a b\"",
        "\"a/b\"", "\"+\"", "\"#\"", "\"$\"", "\"a.b\"", "\"a_b\"", "\"UPPER\"", "\"snake_case\"", "\"x_v\"", "\"x_\"",

        // Times: the epoch, the edges of the contract, of the types, and text that is not a time.
        "\"1970-01-01T00:00:00Z\"", "\"1970-01-01T00:00:00.000Z\"", "\"1999-12-31T23:59:59.999Z\"", "\"2000-01-01T00:00:00.000Z\"",
        "\"2026-11-22T19:00:04.981Z\"", "\"2026-11-22T19:10:00.000Z\"", "\"2099-12-31T23:59:59.999Z\"", "\"2099-12-31T23:59:59Z\"",
        "\"0001-01-01T00:00:00Z\"", "\"0001-01-01T00:00:00+14:00\"", "\"9999-12-31T23:59:59.9999999Z\"", "\"9999-12-31T23:59:59-14:00\"",
        "\"2026-02-30T00:00:00Z\"", "\"2026-11-22T24:00:00Z\"", "\"2026-11-22T19:00:04.981\"", "\"2026-11-22 19:00:04Z\"",
        "\"2026-11-22\"", "\"19:00:04\"", "\"20261122T190004Z\"", "\"2026-11-22T19:00:04.981+25:00\"", "\"2026-11-22T19:00:04,981Z\"",
        "\"yesterday\"", "\"-2026-11-22T00:00:00Z\"", "\"+002026-11-22T00:00:00Z\"", "\"2026-13-01T00:00:00Z\"", "\"9999-99-99T99:99:99Z\"",
        "1700000000", "1700000000000",

        // Containers of the wrong kind, empty, or holding nulls; duplicate keys.
        "[]", "{}", "[null]", "{\"k\":null}", "[[]]", "[{}]", "{\"\":null}", "[1,2,3]", "{\"a\":1,\"a\":2}", "[null,null]", "{\"v\":1}",
        "[\"a\"]", "[true]", "{\"0\":0}",

        // Broken structure.
        "{", "}", "[", "]", ",", ":", "\"", "", "1 2", "/* c */ 1", "// c\n1", "1,", "[1,]", "{\"a\":1,}", "{\"a\"}", "{a:1}", "'a'", "[,]",
    ];

    private static readonly string[] KeyTexts =
    [
        "\"\"", "\" \"", "\"\\u0000\"", "\"\\ud800\"", "\"__proto__\"", "\"constructor\"", "\"$ref\"", "\"$schema\"", "\"$id\"", "\"extra\"",
        "\"V\"", "\"TS\"", "\"Readings\"", "\"values\"", "\"error\"", "\"quality\"", "\"time\"", "\"message\"", "\"ts\"", "\"v\"",
        "\"" + new string('k', 65) + "\"", "\"" + new string('k', 10_000) + "\"", "\"a-b\"", "\"a b\"", "\"é\"", "\"路\"",
        "\"voltage_v\"", "\"lamps_lit\"", "\"x\\\"y\"", "\"\\u0041\"",

        // Not a string at all.
        "1", "null", "a", "[]",
    ];

    private static readonly byte[][] Tokens = [.. TokenTexts.Select(Encoding.UTF8.GetBytes)];

    private static readonly byte[][] StringTokens = [.. Tokens.Where(t => t.Length > 1 && t[0] == '"' && t[^1] == '"' && IsJson(t))];

    private static readonly byte[][] NumberTokens = [.. Tokens.Where(t => t.Length > 0 && (char.IsAsciiDigit((char)t[0]) || t[0] == '-') && IsJson(t))];

    /// <summary>Nothing, or containers of nothing, where a value goes: what readers forget most (a null element of a list).</summary>
    private static readonly byte[][] Shapes = [.. new[] { "null", "[]", "{}", "[null]", "{\"k\":null}", "\"\"", "[[]]", "[{}]" }.Select(Encoding.UTF8.GetBytes)];

    private static readonly byte[][] HostileKeys = [.. KeyTexts.Select(Encoding.UTF8.GetBytes)];

    /// <summary>Strings with bytes that are not UTF-8: a lone continuation byte, an overlong NUL, an encoded surrogate, past U+10FFFF, cut short.</summary>
    private static readonly byte[][] InvalidUtf8 =
    [
        [(byte)'"', 0xFF, (byte)'"'], [(byte)'"', 0x80, (byte)'"'], [(byte)'"', 0xC0, 0x80, (byte)'"'], [(byte)'"', 0xED, 0xA0, 0x80, (byte)'"'],
        [(byte)'"', 0xF4, 0x90, 0x80, 0x80, (byte)'"'], [(byte)'"', 0xE8, 0xB7, (byte)'"'], [(byte)'"', (byte)'a', 0xFE, (byte)'"'], [0xFF], [0xEF, 0xBB, 0xBF],
    ];

    /// <summary>Long and deep ones, made once: strings of 100,000 characters and nestings up to a few hundred levels.</summary>
    private static readonly byte[][] Large =
    [
        Quoted(new string('a', 100_000)),
        Quoted(string.Concat(Enumerable.Repeat("路", 40_000))),
        Quoted(string.Concat(Enumerable.Repeat("\\u0000", 10_000))),
        Quoted(string.Concat(Enumerable.Repeat("\\ud800", 10_000))),
        Quoted(RandomText(new Random(17), 100_000)),
        Nested("[", "]", 15), Nested("[", "]", 16), Nested("[", "]", 17), Nested("[", "]", 63), Nested("[", "]", 64), Nested("[", "]", 65),
        Nested("[", "]", 200), Nested("[", "]", 600), Nested("{\"a\":", "}", 16), Nested("{\"a\":", "}", 17), Nested("{\"a\":", "}", 65),
        Nested("{\"a\":", "}", 300), Nested("[{\"a\":", "}]", 100), Nested("[", "", 300),
        Encoding.UTF8.GetBytes("[" + string.Join(",", Enumerable.Repeat("null", 20_000)) + "]"),
        Encoding.UTF8.GetBytes("{" + string.Join(",", Enumerable.Range(0, 5_000).Select(i => $"\"k{i}\":{i}")) + "}"),
    ];

    private const string Alphabet = "abcxyz_-.09AZ /\\\"'<>&%$#@!{}[]:,;=+*~`|?\u00e9\u8def\u0000\u0001\u007f";

    /// <summary>A hostile value for a place that holds a value of <paramref name="template"/>.</summary>
    public static byte[] Value(Random random, JsonTemplate template)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(template);
        return random.Next(100) switch
        {
            < 10 => Shapes[random.Next(Shapes.Length)],
            < 45 => Tokens[random.Next(Tokens.Length)],
            < 65 => template.Scalars[random.Next(template.Scalars.Length)],
            < 69 => InvalidUtf8[random.Next(InvalidUtf8.Length)],
            < 72 => Large[random.Next(Large.Length)],
            < 80 => Number(random),
            < 87 => Quoted(RandomText(random, random.Next(0, random.Next(2) == 0 ? 8 : 80))),
            < 93 => Quoted(Time(random)),
            _ => Template(random, template),
        };
    }

    /// <summary>
    /// A hostile value of the same JSON kind as the one it replaces (a string for a string, a number for a number):
    /// it gets past the reader's types, on to the rules that check values.
    /// </summary>
    public static byte[] SameKind(Random random, JsonTemplate template, System.Text.Json.JsonValueKind kind)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(template);
        return kind switch
        {
            System.Text.Json.JsonValueKind.String => random.Next(4) switch
            {
                0 => Quoted(Time(random)),
                1 => Quoted(RandomText(random, random.Next(0, random.Next(2) == 0 ? 8 : 80))),
                2 => Pick(random, StringTokens),
                _ => Pick(random, template.Scalars.Where(s => s.Length > 0 && s[0] == '"').ToArray()),
            },
            System.Text.Json.JsonValueKind.Number => random.Next(2) == 0 ? Number(random) : Pick(random, NumberTokens),
            _ => Value(random, template),
        };
    }

    /// <summary>A hostile property name for an object of <paramref name="template"/> (its own names make duplicates).</summary>
    public static byte[] Key(Random random, JsonTemplate template)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(template);
        return random.Next(100) switch
        {
            < 55 => template.Keys[random.Next(template.Keys.Length)],
            < 85 => HostileKeys[random.Next(HostileKeys.Length)],
            _ => Quoted(RandomText(random, random.Next(0, 12))),
        };
    }

    /// <summary>A top-level hostile document: any leaf alone.</summary>
    public static byte[] Document(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return random.Next(10) switch
        {
            < 6 => Tokens[random.Next(Tokens.Length)],
            < 8 => Large[random.Next(Large.Length)],
            _ => InvalidUtf8[random.Next(InvalidUtf8.Length)],
        };
    }

    private static byte[] Pick(Random random, byte[][] choices) => choices.Length == 0 ? "null"u8.ToArray() : choices[random.Next(choices.Length)];

    private static bool IsJson(byte[] token)
    {
        var reader = new System.Text.Json.Utf8JsonReader(token);
        try
        {
            return reader.Read() && reader.TrySkip() && !reader.Read();
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    private static byte[] Template(Random random, JsonTemplate template)
    {
        // Another node of the document, of the wrong kind or place (an object where a number goes).
        var spot = template.Spots[random.Next(template.Spots.Length)];
        return template.Utf8[spot.Start..spot.End];
    }

    private static byte[] Number(Random random)
    {
        var text = random.Next(6) switch
        {
            0 => random.NextInt64(long.MinValue, long.MaxValue).ToString(CultureInfo.InvariantCulture),
            1 => random.Next(-70_000, 70_000).ToString(CultureInfo.InvariantCulture),
            2 => (random.NextDouble() * Math.Pow(10, random.Next(-30, 310))).ToString("R", CultureInfo.InvariantCulture),
            3 => new string('9', random.Next(1, 500)),
            4 => $"{random.Next(10)}.{random.Next()}e{random.Next(-400, 400)}",
            _ => BitConverter.Int64BitsToDouble(random.NextInt64()).ToString("R", CultureInfo.InvariantCulture),
        };
        return Encoding.UTF8.GetBytes(text);
    }

    private static readonly int[] EdgeYears = [1, 1969, 1970, 1999, 2000, 2026, 2038, 2099, 2100, 9999];

    /// <summary>A time as the contracts write one, mostly of a real day in a year at an edge, sometimes of no day at all.</summary>
    private static string Time(Random random)
    {
        var year = random.Next(2) == 0 ? EdgeYears[random.Next(EdgeYears.Length)] : random.Next(0, 10_000);
        var (month, day, hour) = random.Next(5) == 0
            ? (random.Next(0, 14), random.Next(0, 33), random.Next(0, 26))
            : (random.Next(2) == 0 ? (12, 31, 23) : (1, 1, 0));
        var text = string.Create(
            CultureInfo.InvariantCulture,
            $"{year:0000}-{month:00}-{day:00}T{hour:00}:{random.Next(0, 60):00}:{random.Next(0, 60):00}.{random.Next(0, 1000):000}");
        return text + (random.Next(5) switch
        {
            0 => "",
            1 => string.Create(CultureInfo.InvariantCulture, $"{(random.Next(2) == 0 ? '+' : '-')}{random.Next(0, 15):00}:{random.Next(0, 60):00}"),
            _ => "Z",
        });
    }

    private static string RandomText(Random random, int length)
    {
        var text = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            text.Append(random.Next(8) switch
            {
                0 => (char)random.Next(0, 0x10000),
                _ => Alphabet[random.Next(Alphabet.Length)],
            });
        }

        return text.ToString();
    }

    /// <summary>A JSON string of <paramref name="text"/>: quotes and backslashes escaped, everything else raw (control characters and lone surrogates too).</summary>
    private static byte[] Quoted(string text)
    {
        var body = text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);

        // Escape sequences written as such in the source stay escape sequences.
        body = body.Replace("\\\\u", "\\u", StringComparison.Ordinal);
        var bytes = new List<byte>(body.Length + 2) { (byte)'"' };
        foreach (var rune in EnumerateWithLoneSurrogates(body))
        {
            bytes.AddRange(rune);
        }

        bytes.Add((byte)'"');
        return [.. bytes];
    }

    /// <summary>UTF-8 of <paramref name="text"/>, a lone surrogate written as the three bytes it would take (invalid UTF-8, as some senders write).</summary>
    private static IEnumerable<byte[]> EnumerateWithLoneSurrogates(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                yield return Encoding.UTF8.GetBytes(text.Substring(i, 2));
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                yield return [(byte)(0xE0 | (c >> 12)), (byte)(0x80 | ((c >> 6) & 0x3F)), (byte)(0x80 | (c & 0x3F))];
            }
            else
            {
                yield return Encoding.UTF8.GetBytes(c.ToString());
            }
        }
    }

    private static byte[] Nested(string open, string close, int depth) =>
        Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(open, depth)) + "1" + string.Concat(Enumerable.Repeat(close, depth)));
}
