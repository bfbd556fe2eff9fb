using System.Globalization;

namespace Telemetry.InfluxDb.LineProtocol;

/// <summary>The type of a field value, as InfluxDB stores it.</summary>
public enum FieldValueKind : byte
{
    /// <summary>No value: the <c>default</c> of <see cref="FieldValue"/>; the encoder rejects it.</summary>
    None = 0,

    /// <summary>A 64-bit IEEE-754 float (written without suffix, e.g. <c>1.5</c>).</summary>
    Float,

    /// <summary>A signed 64-bit integer (written with the <c>i</c> suffix, e.g. <c>7i</c>).</summary>
    Integer,

    /// <summary>A Boolean (written as <c>true</c> or <c>false</c>).</summary>
    Boolean,

    /// <summary>A string (written double-quoted, with <c>"</c> and <c>\</c> escaped).</summary>
    String,
}

/// <summary>
/// One field value of a <see cref="Point"/>: a float, an integer, a Boolean or a string. A small value type,
/// so building points does not box numbers.
/// </summary>
public readonly struct FieldValue : IEquatable<FieldValue>
{
    private readonly long _bits;
    private readonly string? _text;

    private FieldValue(FieldValueKind kind, long bits, string? text)
    {
        Kind = kind;
        _bits = bits;
        _text = text;
    }

    /// <summary>The type of the value; <see cref="FieldValueKind.None"/> for <c>default</c>.</summary>
    public FieldValueKind Kind { get; }

    /// <summary>A float value. NaN and infinities are accepted here and rejected by the encoder.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The field value.</returns>
    public static FieldValue Float(double value) => new(FieldValueKind.Float, BitConverter.DoubleToInt64Bits(value), null);

    /// <summary>An integer value.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The field value.</returns>
    public static FieldValue Integer(long value) => new(FieldValueKind.Integer, value, null);

    /// <summary>A Boolean value.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The field value.</returns>
    public static FieldValue Boolean(bool value) => new(FieldValueKind.Boolean, value ? 1 : 0, null);

    /// <summary>A string value (any text, including newlines; it must be valid UTF-16).</summary>
    /// <param name="value">The value.</param>
    /// <returns>The field value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    public static FieldValue String(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(FieldValueKind.String, 0, value);
    }

    /// <summary>Converts a double to a float field value.</summary>
    /// <param name="value">The value.</param>
    public static implicit operator FieldValue(double value) => Float(value);

    /// <summary>Converts a long to an integer field value.</summary>
    /// <param name="value">The value.</param>
    public static implicit operator FieldValue(long value) => Integer(value);

    /// <summary>Converts a bool to a Boolean field value.</summary>
    /// <param name="value">The value.</param>
    public static implicit operator FieldValue(bool value) => Boolean(value);

    /// <summary>Converts a string to a string field value.</summary>
    /// <param name="value">The value (not null).</param>
    public static implicit operator FieldValue(string value) => String(value);

    /// <summary>Compares two values by kind and content (floats bit for bit, so NaN equals NaN).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator ==(FieldValue left, FieldValue right) => left.Equals(right);

    /// <summary>Compares two values by kind and content.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator !=(FieldValue left, FieldValue right) => !left.Equals(right);

    /// <summary>The float value.</summary>
    /// <returns>The value.</returns>
    /// <exception cref="InvalidOperationException">The value is not a float.</exception>
    public double AsDouble() => Kind == FieldValueKind.Float ? BitConverter.Int64BitsToDouble(_bits) : throw WrongKind(FieldValueKind.Float);

    /// <summary>The integer value.</summary>
    /// <returns>The value.</returns>
    /// <exception cref="InvalidOperationException">The value is not an integer.</exception>
    public long AsInt64() => Kind == FieldValueKind.Integer ? _bits : throw WrongKind(FieldValueKind.Integer);

    /// <summary>The Boolean value.</summary>
    /// <returns>The value.</returns>
    /// <exception cref="InvalidOperationException">The value is not a Boolean.</exception>
    public bool AsBoolean() => Kind == FieldValueKind.Boolean ? _bits != 0 : throw WrongKind(FieldValueKind.Boolean);

    /// <summary>The string value.</summary>
    /// <returns>The value.</returns>
    /// <exception cref="InvalidOperationException">The value is not a string.</exception>
    public string AsString() => Kind == FieldValueKind.String ? _text! : throw WrongKind(FieldValueKind.String);

    /// <inheritdoc />
    public bool Equals(FieldValue other) => Kind == other.Kind && _bits == other._bits && string.Equals(_text, other._text, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is FieldValue other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, _bits, _text);

    /// <summary>The value as InfluxDB shows it (for diagnostics; not line protocol).</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Kind switch
    {
        FieldValueKind.Float => AsDouble().ToString("R", CultureInfo.InvariantCulture),
        FieldValueKind.Integer => _bits.ToString(CultureInfo.InvariantCulture) + "i",
        FieldValueKind.Boolean => _bits != 0 ? "true" : "false",
        FieldValueKind.String => _text!,
        _ => "(none)",
    };

    internal long RawBits => _bits;

    internal string? RawText => _text;

    private InvalidOperationException WrongKind(FieldValueKind wanted) =>
        new($"The field value is of kind {Kind}, not {wanted}.");
}
