using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Telemetry.Contracts;

namespace Telemetry.Devices.Decoding;

/// <summary>Which of its forms a <see cref="PointValue"/> holds.</summary>
public enum PointValueKind
{
    /// <summary>A whole number (an unscaled integer register, a count).</summary>
    Integer,

    /// <summary>A real number (a scaled register, an f32).</summary>
    Real,

    /// <summary>A boolean (a coil, a discrete input, a bit of a bitfield).</summary>
    Boolean,

    /// <summary>ASCII text (a string register block).</summary>
    Text,
}

/// <summary>
/// A decoded value or a value to write: a long, a double, a bool or a string. Serialises to the bare JSON
/// number, boolean or string, so a dictionary of values is a reading's <c>values</c> object.
/// </summary>
[JsonConverter(typeof(PointValueJsonConverter))]
public readonly record struct PointValue
{
    private readonly long integer;
    private readonly double real;
    private readonly string? text;

    private PointValue(PointValueKind kind, long integer, double real, string? text)
    {
        Kind = kind;
        this.integer = integer;
        this.real = real;
        this.text = text;
    }

    /// <summary>Which form the value holds.</summary>
    public PointValueKind Kind { get; }

    /// <summary>The whole number (a boolean reads as 0 or 1).</summary>
    /// <exception cref="InvalidOperationException">The value is real or text.</exception>
    public long AsInteger => Kind switch
    {
        PointValueKind.Integer or PointValueKind.Boolean => integer,
        _ => throw new InvalidOperationException($"{Kind} value {this} is not an integer"),
    };

    /// <summary>The number as a double (integers convert).</summary>
    /// <exception cref="InvalidOperationException">The value is a boolean or text.</exception>
    public double AsReal => Kind switch
    {
        PointValueKind.Real => real,
        PointValueKind.Integer => integer,
        _ => throw new InvalidOperationException($"{Kind} value {this} is not a number"),
    };

    /// <summary>The boolean.</summary>
    /// <exception cref="InvalidOperationException">The value is not a boolean.</exception>
    public bool AsBoolean => Kind == PointValueKind.Boolean
        ? integer != 0
        : throw new InvalidOperationException($"{Kind} value {this} is not a boolean");

    /// <summary>The text.</summary>
    /// <exception cref="InvalidOperationException">The value is not text.</exception>
    public string AsText => Kind == PointValueKind.Text
        ? text!
        : throw new InvalidOperationException($"{Kind} value {this} is not text");

    /// <summary>A whole number.</summary>
    public static PointValue FromInteger(long value) => new(PointValueKind.Integer, value, 0, null);

    /// <summary>A real number.</summary>
    public static PointValue FromReal(double value) => new(PointValueKind.Real, 0, value, null);

    /// <summary>A boolean.</summary>
    public static PointValue FromBoolean(bool value) => new(PointValueKind.Boolean, value ? 1 : 0, 0, null);

    /// <summary>Text.</summary>
    public static PointValue FromText(string value) => new(PointValueKind.Text, 0, 0, value ?? throw new ArgumentNullException(nameof(value)));

#pragma warning disable CA2225 // The named factories above are the alternates.
    /// <summary>A whole number.</summary>
    public static implicit operator PointValue(long value) => FromInteger(value);

    /// <summary>A real number.</summary>
    public static implicit operator PointValue(double value) => FromReal(value);

    /// <summary>A boolean.</summary>
    public static implicit operator PointValue(bool value) => FromBoolean(value);

    /// <summary>Text.</summary>
    public static implicit operator PointValue(string value) => FromText(value);
#pragma warning restore CA2225

    /// <summary>Whether the value can travel in a reading (numbers and booleans; text cannot).</summary>
    public bool IsReadingValue => Kind != PointValueKind.Text;

    /// <summary>The value as a reading carries it: a real as a number, an integer as a count, a boolean as a state.</summary>
    /// <exception cref="InvalidOperationException">The value is text, which readings do not carry.</exception>
    public ReadingValue ToReadingValue() => Kind switch
    {
        PointValueKind.Integer => ReadingValue.Integer(integer),
        PointValueKind.Real => ReadingValue.Number(real),
        PointValueKind.Boolean => ReadingValue.Boolean(integer != 0),
        _ => throw new InvalidOperationException($"text value '{text}' cannot be a reading value"),
    };

    /// <summary>The value boxed as long, double, bool or string.</summary>
    public object ToObject() => Kind switch
    {
        PointValueKind.Integer => integer,
        PointValueKind.Real => real,
        PointValueKind.Boolean => integer != 0,
        _ => text!,
    };

    /// <summary>The value as JSON would show it (invariant culture).</summary>
    public override string ToString() => Kind switch
    {
        PointValueKind.Integer => integer.ToString(CultureInfo.InvariantCulture),
        PointValueKind.Real => real.ToString("R", CultureInfo.InvariantCulture),
        PointValueKind.Boolean => integer != 0 ? "true" : "false",
        _ => text!,
    };
}

/// <summary>Writes a <see cref="PointValue"/> as a bare JSON number, boolean or string, and reads one back.</summary>
public sealed class PointValueJsonConverter : JsonConverter<PointValue>
{
    /// <inheritdoc />
    public override PointValue Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.True => PointValue.FromBoolean(true),
        JsonTokenType.False => PointValue.FromBoolean(false),
        JsonTokenType.String => PointValue.FromText(reader.GetString()!),
        JsonTokenType.Number when reader.TryGetInt64(out var whole) => PointValue.FromInteger(whole),
        JsonTokenType.Number => PointValue.FromReal(reader.GetDouble()),
        _ => throw new JsonException($"a point value is a number, a boolean or a string, not {reader.TokenType}"),
    };

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, PointValue value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        switch (value.Kind)
        {
            case PointValueKind.Integer:
                writer.WriteNumberValue(value.AsInteger);
                break;
            case PointValueKind.Real:
                writer.WriteNumberValue(value.AsReal);
                break;
            case PointValueKind.Boolean:
                writer.WriteBooleanValue(value.AsBoolean);
                break;
            default:
                writer.WriteStringValue(value.AsText);
                break;
        }
    }
}
