using System.Globalization;
using System.Text;
using Telemetry.InfluxDb.LineProtocol;

namespace Telemetry.InfluxDb.Tests.LineProtocol;

/// <summary>A point as InfluxDB 1.x would read it.</summary>
internal sealed record ParsedPoint(string Measurement, IReadOnlyList<KeyValuePair<string, string>> Tags, IReadOnlyList<KeyValuePair<string, FieldValue>> Fields, long? Timestamp);

/// <summary>
/// Test-only line-protocol reader that follows InfluxDB 1.x's parser (models/points.go) step by step: the
/// line splitter and field scanner treat a backslash as escaping the next character; measurement and tag
/// scanning look at the character before; names are unescaped for <c>, " space =</c>, tags for
/// <c>, space =</c>; string values for <c>\" \\</c>. Special characters are ASCII, so working on UTF-16
/// text is the same as working on UTF-8 bytes.
/// </summary>
internal static class InfluxLineParser
{
    public static IReadOnlyList<ParsedPoint> Parse(ReadOnlySpan<byte> body)
    {
        var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body);
        var points = new List<ParsedPoint>();
        foreach (var line in SplitLines(text))
        {
            var start = SkipWhitespace(line, 0);
            if (start >= line.Length || line[start] == '#')
            {
                continue;
            }

            var block = line[start..];
            if (block.EndsWith('\n'))
            {
                block = block[..^1];
            }

            points.Add(ParsePoint(block));
        }

        return points;
    }

    /// <summary>scanLine: a line ends at a line feed that is neither escaped nor inside a quoted field value.</summary>
    public static List<string> SplitLines(string buffer)
    {
        var lines = new List<string>();
        var position = 0;
        while (position < buffer.Length)
        {
            var start = position;
            var i = position;
            var quoted = false;
            var fields = false;
            var equals = 0;
            var commas = 0;
            while (i < buffer.Length)
            {
                if (buffer[i] == '\\')
                {
                    i += 2;
                    continue;
                }

                if (buffer[i] == ' ')
                {
                    fields = true;
                }

                if (fields)
                {
                    if (!quoted && buffer[i] == '=')
                    {
                        i++;
                        equals++;
                        continue;
                    }

                    if (!quoted && buffer[i] == ',')
                    {
                        i++;
                        commas++;
                        continue;
                    }

                    if (buffer[i] == '"' && equals > commas)
                    {
                        i++;
                        quoted = !quoted;
                        continue;
                    }
                }

                if (buffer[i] == '\n' && !quoted)
                {
                    break;
                }

                i++;
            }

            i = Math.Min(i, buffer.Length);
            lines.Add(buffer[start..i]);
            position = i + 1;
        }

        return lines;
    }

    private static ParsedPoint ParsePoint(string buffer)
    {
        var (position, key) = ScanKey(buffer);
        if (key.Length == 0)
        {
            throw new FormatException("missing measurement");
        }

        var (afterFields, fields) = ScanFields(buffer, position);
        if (fields.Length == 0)
        {
            throw new FormatException("missing fields");
        }

        var timestamp = ScanTime(buffer, afterFields);
        var measurement = Unescape(ScanTo(key, 0, ',').Block);
        var tags = WalkTags(key);
        var fieldList = WalkFields(fields);
        return new ParsedPoint(measurement, tags, fieldList, timestamp);
    }

    private static (int Position, string Key) ScanKey(string buffer)
    {
        var start = SkipWhitespace(buffer, 0);
        var i = start;
        if (i >= buffer.Length || buffer[i] == ',')
        {
            throw new FormatException("missing measurement");
        }

        var tags = false;
        while (true)
        {
            i++;
            if (i >= buffer.Length)
            {
                throw new FormatException("missing fields");
            }

            if (buffer[i - 1] == '\\')
            {
                continue;
            }

            if (buffer[i] == ',')
            {
                tags = true;
                i++;
                break;
            }

            if (buffer[i] == ' ')
            {
                break;
            }
        }

        if (tags)
        {
            while (true)
            {
                i = ScanTagKey(buffer, i);
                var (next, more) = ScanTagValue(buffer, i);
                i = next;
                if (!more)
                {
                    break;
                }
            }
        }

        return (i, buffer[start..i]);
    }

    private static int ScanTagKey(string buffer, int i)
    {
        if (i >= buffer.Length || buffer[i] is ' ' or ',' or '=')
        {
            throw new FormatException("missing tag key");
        }

        while (true)
        {
            i++;
            if (i >= buffer.Length || (buffer[i] is ' ' or ',' && buffer[i - 1] != '\\'))
            {
                throw new FormatException("missing tag value");
            }

            if (buffer[i] == '=' && buffer[i - 1] != '\\')
            {
                return i + 1;
            }
        }
    }

    private static (int Position, bool MoreTags) ScanTagValue(string buffer, int i)
    {
        if (i >= buffer.Length || buffer[i] is ',' or ' ')
        {
            throw new FormatException("missing tag value");
        }

        while (true)
        {
            i++;
            if (i >= buffer.Length)
            {
                throw new FormatException("missing fields");
            }

            if (buffer[i] == '=' && buffer[i - 1] != '\\')
            {
                throw new FormatException("invalid tag format");
            }

            if (buffer[i] == ',' && buffer[i - 1] != '\\')
            {
                return (i + 1, true);
            }

            if (buffer[i] == ' ' && buffer[i - 1] != '\\')
            {
                return (i, false);
            }
        }
    }

    private static (int Position, string Fields) ScanFields(string buffer, int i)
    {
        var start = SkipWhitespace(buffer, i);
        i = start;
        var quoted = false;
        var equals = 0;
        var commas = 0;
        while (i < buffer.Length)
        {
            if (buffer[i] == '\\' && i + 1 < buffer.Length)
            {
                i += 2;
                continue;
            }

            if (buffer[i] == '"' && equals > commas)
            {
                quoted = !quoted;
                i++;
                continue;
            }

            if (buffer[i] == '=' && !quoted)
            {
                equals++;
                if (i + 1 >= buffer.Length || buffer[i + 1] is ',' or ' ')
                {
                    throw new FormatException("missing field value");
                }
            }

            if (buffer[i] == ',' && !quoted)
            {
                commas++;
            }

            if (buffer[i] == ' ' && !quoted)
            {
                break;
            }

            i++;
        }

        if (quoted)
        {
            throw new FormatException("unbalanced quotes");
        }

        if (equals == 0 || commas != equals - 1)
        {
            throw new FormatException("invalid field format");
        }

        return (i, buffer[start..i]);
    }

    private static long? ScanTime(string buffer, int i)
    {
        var start = SkipWhitespace(buffer, i);
        var end = start;
        while (end < buffer.Length && buffer[end] != ' ')
        {
            end++;
        }

        if (end == start)
        {
            return null;
        }

        for (var rest = end; rest < buffer.Length; rest++)
        {
            if (buffer[rest] != ' ')
            {
                throw new FormatException("invalid point");
            }
        }

        return long.Parse(buffer.AsSpan(start, end - start), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
    }

    private static List<KeyValuePair<string, string>> WalkTags(string key)
    {
        var tags = new List<KeyValuePair<string, string>>();
        var (position, name) = ScanTo(key, 0, ',');
        if (name.Length == 0)
        {
            return tags;
        }

        var i = position + 1;
        while (i < key.Length)
        {
            var (afterKey, tagKey) = ScanTo(key, i, '=');
            var valueStart = afterKey + 1;
            var valueEnd = valueStart;
            while (valueEnd < key.Length && !(key[valueEnd] == ',' && key[valueEnd - 1] != '\\'))
            {
                valueEnd++;
            }

            var value = key[Math.Min(valueStart, key.Length)..valueEnd];
            if (value.Length > 0)
            {
                tags.Add(new(UnescapeTag(tagKey), UnescapeTag(value)));
            }

            i = valueEnd + 1;
        }

        return tags;
    }

    private static List<KeyValuePair<string, FieldValue>> WalkFields(string fields)
    {
        var list = new List<KeyValuePair<string, FieldValue>>();
        var buffer = fields;
        while (buffer.Length > 0)
        {
            var (keyEnd, key) = ScanTo(buffer, 0, '=');
            buffer = buffer[(keyEnd + 1)..];
            var valueEnd = ScanFieldValue(buffer);
            var raw = buffer[..valueEnd];
            buffer = buffer[valueEnd..];
            list.Add(new(Unescape(key), ParseValue(raw)));
            if (buffer.Length > 0)
            {
                buffer = buffer[1..];
            }
        }

        return list;
    }

    private static int ScanFieldValue(string buffer)
    {
        var i = 0;
        var quoted = false;
        while (i < buffer.Length)
        {
            if (buffer[i] == '\\' && i + 1 < buffer.Length && buffer[i + 1] is '"' or '\\')
            {
                i += 2;
                continue;
            }

            if (buffer[i] == '"')
            {
                i++;
                quoted = !quoted;
                continue;
            }

            if (buffer[i] == ',' && !quoted)
            {
                break;
            }

            i++;
        }

        return i;
    }

    private static FieldValue ParseValue(string raw)
    {
        if (raw.Length == 0)
        {
            throw new FormatException("missing field value");
        }

        if (raw[0] == '"')
        {
            if (raw.Length < 2 || raw[^1] != '"')
            {
                throw new FormatException("bad string field");
            }

            return FieldValue.String(UnescapeStringField(raw[1..^1]));
        }

        if (raw[^1] == 'i' && "0123456789-".Contains(raw[0], StringComparison.Ordinal))
        {
            return FieldValue.Integer(long.Parse(raw[..^1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));
        }

        if ("0123456789-.".Contains(raw[0], StringComparison.Ordinal))
        {
            if (raw.Contains('N', StringComparison.OrdinalIgnoreCase) || raw.Contains("Inf", StringComparison.OrdinalIgnoreCase))
            {
                throw new FormatException("invalid number");
            }

            return FieldValue.Float(double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture));
        }

        return raw switch
        {
            "t" or "T" or "true" or "True" or "TRUE" => FieldValue.Boolean(true),
            "f" or "F" or "false" or "False" or "FALSE" => FieldValue.Boolean(false),
            _ => throw new FormatException($"invalid boolean {raw}"),
        };
    }

    private static (int Position, string Block) ScanTo(string buffer, int i, char stop)
    {
        var start = i;
        while (i < buffer.Length && !(buffer[i] == stop && (i == 0 || buffer[i - 1] != '\\')))
        {
            i++;
        }

        return (i, buffer[start..i]);
    }

    private static int SkipWhitespace(string buffer, int i)
    {
        while (i < buffer.Length && buffer[i] is ' ' or '\t' or '\0')
        {
            i++;
        }

        return i;
    }

    /// <summary>escape.Unescape: drops a backslash before <c>, " space =</c>.</summary>
    private static string Unescape(string text)
    {
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] is ',' or '"' or ' ' or '=')
            {
                builder.Append(text[i + 1]);
                i++;
                continue;
            }

            builder.Append(text[i]);
        }

        return builder.ToString();
    }

    /// <summary>unescapeTag: replaces <c>\,</c>, <c>\ </c> and <c>\=</c>, one after the other.</summary>
    private static string UnescapeTag(string text) =>
        text.Replace(@"\,", ",", StringComparison.Ordinal).Replace(@"\ ", " ", StringComparison.Ordinal).Replace(@"\=", "=", StringComparison.Ordinal);

    private static string UnescapeStringField(string text)
    {
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] is '\\' or '"')
            {
                builder.Append(text[i + 1]);
                i++;
                continue;
            }

            builder.Append(text[i]);
        }

        return builder.ToString();
    }
}
