using System.Buffers;
using System.Globalization;
using System.Text.Unicode;

namespace Telemetry.InfluxDb.LineProtocol;

/// <summary>
/// Encodes points as InfluxDB line protocol, UTF-8, straight into an <see cref="IBufferWriter{T}"/>
/// (no intermediate strings). Timestamps are written in milliseconds: send them with <c>precision=ms</c>.
/// </summary>
/// <remarks>
/// <para>Escaping follows the InfluxDB 1.x line protocol reference:</para>
/// <list type="bullet">
/// <item>measurement: comma and space are escaped with a backslash;</item>
/// <item>tag keys, tag values and field keys: comma, equals sign and space are escaped;</item>
/// <item>string field values are double-quoted; double quote and backslash are escaped;</item>
/// <item>floats use the shortest text that round-trips (<c>"R"</c>); NaN and ±Infinity are rejected;
/// integers carry the <c>i</c> suffix; Booleans are <c>true</c>/<c>false</c>;</item>
/// <item>tags are written sorted by key; tags with an empty value are left out; an empty field set is rejected.</item>
/// </list>
/// <para>Line protocol has no escape for a backslash or a line feed outside string field values, so the
/// encoder rejects (with <see cref="InfluxValueException"/>, before writing anything) the names and tag values
/// that InfluxDB would silently store differently or refuse:</para>
/// <list type="bullet">
/// <item>a line feed (<c>\n</c>) anywhere in a measurement, tag key, tag value or field key. Line feeds
/// <em>are</em> allowed in string field values: InfluxDB 1.x's parser keeps them inside the quotes;</item>
/// <item>a backslash as the last character, or right before a comma, equals sign, space or double quote
/// (the backslash would escape that character or the separator that follows); any other backslash is kept as is;</item>
/// <item>an empty measurement, tag key or field key;</item>
/// <item>a measurement starting with <c>#</c> (the line would be a comment) or with a tab or NUL character,
/// and a field key starting with a tab or NUL character (the parser skips them as white space);</item>
/// <item>the tag or field keys <c>time</c>, <c>_field</c> and <c>_measurement</c>, which InfluxDB refuses or drops;</item>
/// <item>text that is not valid UTF-16 (a lone surrogate), which has no UTF-8 form;</item>
/// <item>a timestamp outside InfluxDB's range (years 1677 to 2262).</item>
/// </list>
/// </remarks>
public static class LineProtocolEncoder
{
    /// <summary>The earliest timestamp InfluxDB stores, in milliseconds since the Unix epoch (1677-09-21).</summary>
    public const long MinUnixMilliseconds = -9_223_372_036_854;

    /// <summary>The latest timestamp InfluxDB stores, in milliseconds since the Unix epoch (2262-04-11).</summary>
    public const long MaxUnixMilliseconds = 9_223_372_036_854;

    private const int MaxBytesPerChar = 3; // a UTF-16 unit never needs more than 3 UTF-8 bytes, escaped or not
    internal const int MaxFloatBytes = 32;
    internal const int MaxIntegerBytes = 21; // "-9223372036854775808i"
    internal const int MaxTimestampBytes = 21;
    private const int MaxLineBytes = int.MaxValue / 2;

    private static readonly SearchValues<char> MeasurementSpecials = SearchValues.Create(", ");
    private static readonly SearchValues<char> KeySpecials = SearchValues.Create(",= ");
    private static readonly SearchValues<char> StringSpecials = SearchValues.Create("\"\\");
    private static readonly SearchValues<char> NameHazards = SearchValues.Create("\n\\");
    private static readonly SearchValues<char> NotAfterBackslash = SearchValues.Create(",= \"");

    /// <summary>Writes one point as a line (with its final <c>\n</c>) into <paramref name="output"/>.</summary>
    /// <param name="output">Where to write; nothing is written if the point is invalid.</param>
    /// <param name="point">The point.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="InfluxValueException">The point cannot be written as line protocol.</exception>
    public static int Write(IBufferWriter<byte> output, Point point)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(point);
        var bound = ValidateAndMeasure(point);
        var span = output.GetSpan(bound);
        var written = Encode(point, span);
        output.Advance(written);
        return written;
    }

    /// <summary>Writes points, one line each, into <paramref name="output"/>.</summary>
    /// <param name="output">Where to write.</param>
    /// <param name="points">The points.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="InfluxValueException">A point cannot be written; the points before it have been written.</exception>
    public static int Write(IBufferWriter<byte> output, IEnumerable<Point> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var total = 0;
        foreach (var point in points)
        {
            total += Write(output, point);
        }

        return total;
    }

    /// <summary>The point as one line of line protocol without its final <c>\n</c> (allocates; for diagnostics and tests).</summary>
    /// <param name="point">The point.</param>
    /// <returns>The line.</returns>
    /// <exception cref="InfluxValueException">The point cannot be written as line protocol.</exception>
    public static string ToLine(Point point)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var written = Write(buffer, point);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan[..(written - 1)]);
    }

    /// <summary>Checks the whole point and returns an upper bound of its encoded size.</summary>
    private static int ValidateAndMeasure(Point point)
    {
        var measurement = point.Measurement;
        CheckName(point, LineProtocolElement.Measurement, null, measurement);
        long bound = (MaxBytesPerChar * (long)measurement.Length) + 2; // + ' ' + '\n'

        foreach (var (key, value) in point.Tags)
        {
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }

            CheckName(point, LineProtocolElement.TagKey, key, key);
            CheckName(point, LineProtocolElement.TagValue, key, value);
            bound += 2 + (MaxBytesPerChar * ((long)key.Length + value.Length));
        }

        var fields = point.Fields;
        if (fields.IsEmpty)
        {
            throw new InfluxValueException(measurement, LineProtocolElement.FieldSet, null, "is empty: InfluxDB needs at least one field per point");
        }

        foreach (var (key, value) in fields)
        {
            CheckName(point, LineProtocolElement.FieldKey, key, key);
            bound += 2 + (MaxBytesPerChar * (long)key.Length);
            switch (value.Kind)
            {
                case FieldValueKind.Float:
                    var number = BitConverter.Int64BitsToDouble(value.RawBits);
                    if (!double.IsFinite(number))
                    {
                        throw new InfluxValueException(measurement, LineProtocolElement.FieldValue, key,
                            $"is {number.ToString(CultureInfo.InvariantCulture)}: InfluxDB stores only finite floats (no NaN or ±Infinity)");
                    }

                    bound += MaxFloatBytes;
                    break;
                case FieldValueKind.Integer:
                    bound += MaxIntegerBytes;
                    break;
                case FieldValueKind.Boolean:
                    bound += 5;
                    break;
                case FieldValueKind.String:
                    bound += 2 + (MaxBytesPerChar * (long)value.RawText!.Length);
                    break;
                default:
                    throw new InfluxValueException(measurement, LineProtocolElement.FieldValue, key, "has no value (default FieldValue)");
            }
        }

        if (point.UnixMilliseconds is { } timestamp)
        {
            if (timestamp is < MinUnixMilliseconds or > MaxUnixMilliseconds)
            {
                throw new InfluxValueException(measurement, LineProtocolElement.Timestamp, null,
                    $"{timestamp} ms is outside InfluxDB's range ({MinUnixMilliseconds} to {MaxUnixMilliseconds} ms since the Unix epoch)");
            }

            bound += 1 + MaxTimestampBytes;
        }

        if (bound > MaxLineBytes)
        {
            throw new InfluxValueException(measurement, LineProtocolElement.FieldSet, null, "is too large for one line");
        }

        return (int)bound;
    }

    private static void CheckName(Point point, LineProtocolElement element, string? key, string name)
    {
        if (name.Length == 0)
        {
            throw new InfluxValueException(point.Measurement, element, key, "is empty");
        }

        var first = name[0];
        if (element == LineProtocolElement.Measurement && first == '#')
        {
            throw new InfluxValueException(point.Measurement, element, key, "starts with '#', which makes InfluxDB read the line as a comment");
        }

        if (element is LineProtocolElement.Measurement or LineProtocolElement.FieldKey && first is '\t' or '\0')
        {
            throw new InfluxValueException(point.Measurement, element, key, "starts with a tab or NUL character, which InfluxDB strips as white space");
        }

        if (element is LineProtocolElement.TagKey or LineProtocolElement.FieldKey && name is "time" or "_field" or "_measurement")
        {
            throw new InfluxValueException(point.Measurement, element, key, "is reserved by InfluxDB");
        }

        var span = name.AsSpan();
        var offset = 0;
        while (true)
        {
            var found = span[offset..].IndexOfAny(NameHazards);
            if (found < 0)
            {
                return;
            }

            var at = offset + found;
            if (span[at] == '\n')
            {
                throw new InfluxValueException(point.Measurement, element, key,
                    "contains a line feed, which line protocol can carry only inside string field values");
            }

            if (at == span.Length - 1)
            {
                throw new InfluxValueException(point.Measurement, element, key,
                    "ends with a backslash, which line protocol cannot carry (it would escape the separator after it)");
            }

            var next = span[at + 1];
            if (NotAfterBackslash.Contains(next))
            {
                throw new InfluxValueException(point.Measurement, element, key,
                    $"has a backslash right before '{next}', which line protocol cannot carry (InfluxDB would drop the backslash or misparse the line)");
            }

            offset = at + 1;
        }
    }

    private static int Encode(Point point, Span<byte> span)
    {
        var measurement = point.Measurement;
        var position = Escaped(point, LineProtocolElement.Measurement, null, measurement, MeasurementSpecials, span);

        foreach (var (key, value) in point.Tags)
        {
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }

            span[position++] = (byte)',';
            position += Escaped(point, LineProtocolElement.TagKey, key, key, KeySpecials, span[position..]);
            span[position++] = (byte)'=';
            position += Escaped(point, LineProtocolElement.TagValue, key, value, KeySpecials, span[position..]);
        }

        var separator = (byte)' ';
        foreach (var (key, value) in point.Fields)
        {
            span[position++] = separator;
            separator = (byte)',';
            position += Escaped(point, LineProtocolElement.FieldKey, key, key, KeySpecials, span[position..]);
            span[position++] = (byte)'=';
            int written;
            switch (value.Kind)
            {
                case FieldValueKind.Float:
                    position += WriteFloat(BitConverter.Int64BitsToDouble(value.RawBits), span[position..]);
                    break;
                case FieldValueKind.Integer:
                    value.RawBits.TryFormat(span[position..], out written, default, CultureInfo.InvariantCulture);
                    position += written;
                    span[position++] = (byte)'i';
                    break;
                case FieldValueKind.Boolean:
                    var text = value.RawBits != 0 ? "true"u8 : "false"u8;
                    text.CopyTo(span[position..]);
                    position += text.Length;
                    break;
                default:
                    span[position++] = (byte)'"';
                    position += Escaped(point, LineProtocolElement.FieldValue, key, value.RawText!, StringSpecials, span[position..]);
                    span[position++] = (byte)'"';
                    break;
            }
        }

        if (point.UnixMilliseconds is { } timestamp)
        {
            span[position++] = (byte)' ';
            timestamp.TryFormat(span[position..], out var written, default, CultureInfo.InvariantCulture);
            position += written;
        }

        span[position++] = (byte)'\n';
        return position;
    }

    /// <summary>The shortest round-trip text of a finite double; whole numbers below 1e15 (which "R" writes as plain
    /// digits too) take the much cheaper integer path.</summary>
    internal static int WriteFloat(double value, Span<byte> destination)
    {
        int written;
        if (value == Math.Floor(value) && Math.Abs(value) < 1e15 && (value != 0 || !double.IsNegative(value)))
        {
            ((long)value).TryFormat(destination, out written, default, CultureInfo.InvariantCulture);
        }
        else
        {
            value.TryFormat(destination, out written, "R", CultureInfo.InvariantCulture);
        }

        return written;
    }

    /// <summary>Transcodes <paramref name="text"/> to UTF-8 with a backslash before each special character.</summary>
    private static int Escaped(Point point, LineProtocolElement element, string? key, string text, SearchValues<char> specials, Span<byte> destination)
    {
        var source = text.AsSpan();
        var position = 0;
        while (true)
        {
            var special = source.IndexOfAny(specials);
            var chunk = special < 0 ? source : source[..special];
            if (!chunk.IsEmpty)
            {
                var status = Utf8.FromUtf16(chunk, destination[position..], out _, out var written, replaceInvalidSequences: false);
                if (status != OperationStatus.Done)
                {
                    throw new InfluxValueException(point.Measurement, element, key, "is not valid UTF-16 text (it has a lone surrogate)");
                }

                position += written;
            }

            if (special < 0)
            {
                return position;
            }

            destination[position++] = (byte)'\\';
            destination[position++] = (byte)source[special];
            source = source[(special + 1)..];
        }
    }
}
