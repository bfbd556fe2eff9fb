using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Unicode;
using Telemetry.InfluxDb.Writing;

namespace Telemetry.InfluxDb.LineProtocol;

/// <summary>
/// Writes one point straight into a <see cref="PointBatchBuilder"/> from UTF-8 names and values, without a
/// <see cref="Point"/> object or any string: for callers that already hold UTF-8 text (a parsed payload) and
/// write many points. Obtained from <see cref="PointBatchBuilder.StartPoint"/>; finished with <see cref="End(long)"/>.
/// </summary>
/// <remarks>
/// <para>The line is the one <see cref="LineProtocolEncoder"/> writes for the same point, with the same escaping and
/// the same rules (see there), applied to UTF-8 instead of UTF-16: text that is not valid UTF-8 is rejected.
/// Two differences follow from writing as it goes: tags must be given in ascending key order (UTF-8 byte order,
/// as <see cref="Point"/> keeps them; the writer does not sort them), and when a point breaks several rules the
/// exception names the first one met in call order.</para>
/// <para>When a call throws <see cref="InfluxValueException"/>, everything written of the point is removed and
/// the writer is finished. A point that is not ended is dropped by the builder's next
/// <see cref="PointBatchBuilder.StartPoint"/>, <see cref="PointBatchBuilder.Add"/>,
/// <see cref="PointBatchBuilder.TakeBatch"/> or <see cref="PointBatchBuilder.RollBack"/>.</para>
/// </remarks>
/// <example>
/// <code>
/// var point = builder.StartPoint("weather"u8);
/// point.Tag("station"u8, stationUtf8);
/// point.Field("temperature"u8, 21.5);
/// point.End(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
/// </code>
/// </example>
public ref struct Utf8PointWriter
{
    private static readonly SearchValues<byte> MeasurementSpecials = SearchValues.Create(", "u8);
    private static readonly SearchValues<byte> KeySpecials = SearchValues.Create(",= "u8);
    private static readonly SearchValues<byte> StringSpecials = SearchValues.Create("\"\\"u8);
    private static readonly SearchValues<byte> NameHazards = SearchValues.Create("\n\\"u8);
    private static readonly SearchValues<byte> NotAfterBackslash = SearchValues.Create(",= \""u8);

    private readonly PointBatchBuilder _builder;
    private readonly ReadOnlySpan<byte> _measurement;
    private readonly long _point;
    private int _fields;

    internal Utf8PointWriter(PointBatchBuilder builder, ReadOnlySpan<byte> measurement, long point)
    {
        _builder = builder;
        _measurement = measurement;
        _point = point;
        _fields = 0;
    }

    /// <summary>Adds a tag; an empty value means "no tag", as with <see cref="Point.Tag"/>.</summary>
    /// <param name="key">The tag key, UTF-8; greater than the previous tag's key.</param>
    /// <param name="value">The tag value, UTF-8.</param>
    /// <exception cref="InfluxValueException">The key or the value cannot be written; the point is dropped.</exception>
    /// <exception cref="InvalidOperationException">A field has been written already, or the point is finished.</exception>
    public readonly void Tag(scoped ReadOnlySpan<byte> key, scoped ReadOnlySpan<byte> value)
    {
        var buffer = Open();
        if (_fields > 0)
        {
            throw new InvalidOperationException("Tags come before fields.");
        }

        if (value.IsEmpty)
        {
            return;
        }

        if (IsPlainKey(key) && IsPlain(value))
        {
            // Nothing to check or escape: copied as it stands.
            var plain = buffer.GetSpan(2 + key.Length + value.Length);
            plain[0] = (byte)',';
            key.CopyTo(plain[1..]);
            plain[1 + key.Length] = (byte)'=';
            value.CopyTo(plain[(2 + key.Length)..]);
            buffer.Advance(2 + key.Length + value.Length);
            return;
        }

        Check(LineProtocolElement.TagKey, key, key);
        Check(LineProtocolElement.TagValue, key, value);
        var span = buffer.GetSpan(2 + (2 * (key.Length + value.Length)));
        span[0] = (byte)',';
        var position = 1 + CopyEscaped(key, KeySpecials, span[1..]);
        span[position++] = (byte)'=';
        position += CopyEscaped(value, KeySpecials, span[position..]);
        buffer.Advance(position);
    }

    /// <summary>Adds an integer field (written with the <c>i</c> suffix).</summary>
    /// <param name="key">The field key, UTF-8.</param>
    /// <param name="value">The value.</param>
    /// <exception cref="InfluxValueException">The key cannot be written; the point is dropped.</exception>
    /// <exception cref="InvalidOperationException">The point is finished.</exception>
    public void Field(scoped ReadOnlySpan<byte> key, long value)
    {
        var span = StartField(key, LineProtocolEncoder.MaxIntegerBytes, out var buffer, out var position);
        value.TryFormat(span[position..], out var written, default, CultureInfo.InvariantCulture);
        position += written;
        span[position++] = (byte)'i';
        buffer.Advance(position);
    }

    /// <summary>Adds a float field.</summary>
    /// <param name="key">The field key, UTF-8.</param>
    /// <param name="value">The value; NaN and infinities are rejected.</param>
    /// <exception cref="InfluxValueException">The key or the value cannot be written; the point is dropped.</exception>
    /// <exception cref="InvalidOperationException">The point is finished.</exception>
    public void Field(scoped ReadOnlySpan<byte> key, double value)
    {
        if (!double.IsFinite(value))
        {
            Open();
            Fail(LineProtocolElement.FieldValue, key,
                $"is {value.ToString(CultureInfo.InvariantCulture)}: InfluxDB stores only finite floats (no NaN or ±Infinity)");
        }

        var span = StartField(key, LineProtocolEncoder.MaxFloatBytes, out var buffer, out var position);
        position += LineProtocolEncoder.WriteFloat(value, span[position..]);
        buffer.Advance(position);
    }

    /// <summary>
    /// Adds a number field from its decimal text, copied as it stands, when that text is exactly what
    /// <see cref="Field(ReadOnlySpan{byte}, long)"/> (<paramref name="integer"/>) or <see cref="Field(ReadOnlySpan{byte}, double)"/>
    /// would write for its value: the same line, without parsing the number and formatting it again. Text in any
    /// other form (an exponent, trailing zeros in the fraction, more digits than round-trip) is left to those.
    /// </summary>
    /// <param name="key">The field key, UTF-8.</param>
    /// <param name="number">The number's decimal text, such as a JSON number token: <c>-12</c>, <c>229.5</c>.</param>
    /// <param name="integer">Whether the field is an integer (written with the <c>i</c> suffix) rather than a float.</param>
    /// <returns>True when the field was written; false, with nothing written, when the text is not in that form.</returns>
    /// <exception cref="InfluxValueException">The key cannot be written; the point is dropped.</exception>
    /// <exception cref="InvalidOperationException">The point is finished.</exception>
    public bool TryFieldText(scoped ReadOnlySpan<byte> key, scoped ReadOnlySpan<byte> number, bool integer)
    {
        if (!(integer ? IsIntegerAsWritten(number) : IsFloatAsWritten(number)))
        {
            return false;
        }

        var span = StartField(key, number.Length + 1, out var buffer, out var position);
        number.CopyTo(span[position..]);
        position += number.Length;
        if (integer)
        {
            span[position++] = (byte)'i';
        }

        buffer.Advance(position);
        return true;
    }

    /// <summary>Adds a Boolean field.</summary>
    /// <param name="key">The field key, UTF-8.</param>
    /// <param name="value">The value.</param>
    /// <exception cref="InfluxValueException">The key cannot be written; the point is dropped.</exception>
    /// <exception cref="InvalidOperationException">The point is finished.</exception>
    public void Field(scoped ReadOnlySpan<byte> key, bool value)
    {
        var span = StartField(key, 5, out var buffer, out var position);
        var text = value ? "true"u8 : "false"u8;
        text.CopyTo(span[position..]);
        buffer.Advance(position + text.Length);
    }

    /// <summary>Adds a string field; the text may hold anything (line feeds too) as long as it is valid UTF-8.</summary>
    /// <param name="key">The field key, UTF-8.</param>
    /// <param name="utf8Text">The value, UTF-8.</param>
    /// <exception cref="InfluxValueException">The key or the value cannot be written; the point is dropped.</exception>
    /// <exception cref="InvalidOperationException">The point is finished.</exception>
    public void StringField(scoped ReadOnlySpan<byte> key, scoped ReadOnlySpan<byte> utf8Text)
    {
        if (!Utf8.IsValid(utf8Text))
        {
            Open();
            Fail(LineProtocolElement.FieldValue, key, "is not valid UTF-8 text");
        }

        var span = StartField(key, 2 + (2 * utf8Text.Length), out var buffer, out var position);
        span[position++] = (byte)'"';
        position += CopyEscaped(utf8Text, StringSpecials, span[position..]);
        span[position++] = (byte)'"';
        buffer.Advance(position);
    }

    /// <summary>Finishes the point with a timestamp and counts it in the batch.</summary>
    /// <param name="unixMilliseconds">Milliseconds since the Unix epoch, within
    /// <see cref="LineProtocolEncoder.MinUnixMilliseconds"/> to <see cref="LineProtocolEncoder.MaxUnixMilliseconds"/>.</param>
    /// <exception cref="InfluxValueException">The point has no field or the timestamp is out of range; the point is dropped.</exception>
    /// <exception cref="InvalidOperationException">The point is finished.</exception>
    public void End(long unixMilliseconds)
    {
        var buffer = Open();
        if (unixMilliseconds is < LineProtocolEncoder.MinUnixMilliseconds or > LineProtocolEncoder.MaxUnixMilliseconds)
        {
            Fail(LineProtocolElement.Timestamp, default,
                $"{unixMilliseconds} ms is outside InfluxDB's range ({LineProtocolEncoder.MinUnixMilliseconds} to {LineProtocolEncoder.MaxUnixMilliseconds} ms since the Unix epoch)");
        }

        CheckFields();
        var span = buffer.GetSpan(2 + LineProtocolEncoder.MaxTimestampBytes);
        span[0] = (byte)' ';
        unixMilliseconds.TryFormat(span[1..], out var written, default, CultureInfo.InvariantCulture);
        span[1 + written] = (byte)'\n';
        buffer.Advance(2 + written);
        _builder.EndPoint(_point);
    }

    /// <summary>Finishes the point without a timestamp (the server stamps it) and counts it in the batch.</summary>
    /// <exception cref="InfluxValueException">The point has no field; it is dropped.</exception>
    /// <exception cref="InvalidOperationException">The point is finished.</exception>
    public void End()
    {
        var buffer = Open();
        CheckFields();
        buffer.GetSpan(1)[0] = (byte)'\n';
        buffer.Advance(1);
        _builder.EndPoint(_point);
    }

    /// <summary>Writes the measurement; called once by the builder.</summary>
    internal readonly void WriteMeasurement()
    {
        var buffer = Open();
        Check(LineProtocolElement.Measurement, default, _measurement);
        var span = buffer.GetSpan(2 * _measurement.Length);
        buffer.Advance(CopyEscaped(_measurement, MeasurementSpecials, span));
    }

    private readonly PooledByteBufferWriter Open() =>
        _builder?.OpenPoint(_point) ?? throw new InvalidOperationException("The writer did not come from PointBatchBuilder.StartPoint.");

    private Span<byte> StartField(scoped ReadOnlySpan<byte> key, int valueBound, out PooledByteBufferWriter buffer, out int position)
    {
        buffer = Open();
        var plain = IsPlainKey(key);
        if (!plain)
        {
            Check(LineProtocolElement.FieldKey, key, key);
        }

        var span = buffer.GetSpan(2 + (2 * key.Length) + valueBound);
        span[0] = _fields == 0 ? (byte)' ' : (byte)',';
        if (plain)
        {
            key.CopyTo(span[1..]);
            position = 1 + key.Length;
        }
        else
        {
            position = 1 + CopyEscaped(key, KeySpecials, span[1..]);
        }

        span[position++] = (byte)'=';
        _fields++;
        return span;
    }

    private readonly void CheckFields()
    {
        if (_fields == 0)
        {
            Fail(LineProtocolElement.FieldSet, default, "is empty: InfluxDB needs at least one field per point");
        }
    }

    private readonly void Check(LineProtocolElement element, scoped ReadOnlySpan<byte> key, scoped ReadOnlySpan<byte> name)
    {
        if (Problem(element, name) is { } problem)
        {
            Fail(element, key, problem);
        }
    }

    /// <summary>Drops the point and throws: the same exception, with the same words, as <see cref="LineProtocolEncoder"/>.</summary>
    private readonly void Fail(LineProtocolElement element, scoped ReadOnlySpan<byte> key, string reason)
    {
        _builder.DropPoint(_point);
        throw new InfluxValueException(
            Encoding.UTF8.GetString(_measurement),
            element,
            element is LineProtocolElement.Measurement or LineProtocolElement.FieldSet or LineProtocolElement.Timestamp ? null : Encoding.UTF8.GetString(key),
            reason);
    }

    /// <summary>The rule of <see cref="LineProtocolEncoder"/> that a name or tag value breaks, or null.</summary>
    private static string? Problem(LineProtocolElement element, ReadOnlySpan<byte> name)
    {
        if (name.IsEmpty)
        {
            return "is empty";
        }

        var first = name[0];
        if (element == LineProtocolElement.Measurement && first == '#')
        {
            return "starts with '#', which makes InfluxDB read the line as a comment";
        }

        if (element is LineProtocolElement.Measurement or LineProtocolElement.FieldKey && first is (byte)'\t' or 0)
        {
            return "starts with a tab or NUL character, which InfluxDB strips as white space";
        }

        if (element is LineProtocolElement.TagKey or LineProtocolElement.FieldKey
            && (name.SequenceEqual("time"u8) || name.SequenceEqual("_field"u8) || name.SequenceEqual("_measurement"u8)))
        {
            return "is reserved by InfluxDB";
        }

        var offset = 0;
        while (true)
        {
            var found = name[offset..].IndexOfAny(NameHazards);
            if (found < 0)
            {
                break;
            }

            var at = offset + found;
            if (name[at] == '\n')
            {
                return "contains a line feed, which line protocol can carry only inside string field values";
            }

            if (at == name.Length - 1)
            {
                return "ends with a backslash, which line protocol cannot carry (it would escape the separator after it)";
            }

            var next = name[at + 1];
            if (NotAfterBackslash.Contains(next))
            {
                return $"has a backslash right before '{(char)next}', which line protocol cannot carry (InfluxDB would drop the backslash or misparse the line)";
            }

            offset = at + 1;
        }

        return Utf8.IsValid(name) ? null : "is not valid UTF-8 text";
    }

    /// <summary>
    /// Text made only of ASCII letters, digits, <c>_</c>, <c>-</c> and <c>.</c>, not starting with <c>_</c>: it breaks no
    /// rule of a tag value, and none of a key either unless reserved (see <see cref="IsPlainKey"/>), and needs no escaping.
    /// Identifiers and value names are such text, so most points skip the general checks.
    /// </summary>
    private static bool IsPlain(ReadOnlySpan<byte> text)
    {
        if (text.IsEmpty || text[0] == '_')
        {
            return false;
        }

        foreach (var b in text)
        {
            if (!char.IsAsciiLetterOrDigit((char)b) && b is not (byte)'_' and not (byte)'-' and not (byte)'.')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><see cref="IsPlain"/> and not reserved by InfluxDB (<c>_field</c> and <c>_measurement</c> already fail the first).</summary>
    private static bool IsPlainKey(ReadOnlySpan<byte> key) => IsPlain(key) && !key.SequenceEqual("time"u8);

    /// <summary>Integer text as <see cref="long.TryFormat(Span{byte}, out int, ReadOnlySpan{char}, IFormatProvider?)"/> writes it: no leading zeros, no <c>-0</c>, at most 18 digits (always in range).</summary>
    private static bool IsIntegerAsWritten(ReadOnlySpan<byte> number)
    {
        var digits = number.Length > 0 && number[0] == '-' ? number[1..] : number;
        return digits.Length is > 0 and <= 18
            && (digits[0] != '0' || (digits.Length == 1 && digits.Length == number.Length))
            && !digits.ContainsAnyExceptInRange((byte)'0', (byte)'9');
    }

    /// <summary>
    /// Float text as <see cref="LineProtocolEncoder.WriteFloat"/> writes it: an integer below 10^15 without a fraction
    /// (as <see cref="IsIntegerAsWritten"/>), or at most 15 significant digits with a fraction that does not end in 0 and,
    /// below 1, at most three zeros after the point (smaller values are written with an exponent). Any decimal of at most
    /// 15 significant digits is the shortest text that reads back as its double, which is what round-trip formatting writes.
    /// </summary>
    private static bool IsFloatAsWritten(ReadOnlySpan<byte> number)
    {
        var unsigned = number.Length > 0 && number[0] == '-' ? number[1..] : number;
        var point = unsigned.IndexOf((byte)'.');
        if (point < 0)
        {
            return unsigned.Length <= 15 && IsIntegerAsWritten(number);
        }

        var whole = unsigned[..point];
        var fraction = unsigned[(point + 1)..];
        if (whole.IsEmpty || fraction.IsEmpty || fraction[^1] == '0' || (whole[0] == '0' && whole.Length > 1)
            || whole.ContainsAnyExceptInRange((byte)'0', (byte)'9') || fraction.ContainsAnyExceptInRange((byte)'0', (byte)'9'))
        {
            return false;
        }

        if (whole[0] != '0')
        {
            return whole.Length + fraction.Length <= 15;
        }

        var zeros = fraction.IndexOfAnyExcept((byte)'0');
        return zeros <= 3 && fraction.Length - zeros <= 15;
    }

    private static int CopyEscaped(ReadOnlySpan<byte> text, SearchValues<byte> specials, Span<byte> destination)
    {
        var position = 0;
        while (true)
        {
            var special = text.IndexOfAny(specials);
            if (special < 0)
            {
                text.CopyTo(destination[position..]);
                return position + text.Length;
            }

            text[..special].CopyTo(destination[position..]);
            position += special;
            destination[position++] = (byte)'\\';
            destination[position++] = text[special];
            text = text[(special + 1)..];
        }
    }
}
