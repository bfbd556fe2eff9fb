using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Telemetry.Contracts;

public enum ReadingValueKind
{
    Number,
    Integer,
    Boolean,
}

/// <summary>One value of a reading: a measurement (number), a count (integer) or a state (boolean).</summary>
[JsonConverter(typeof(ReadingValueJsonConverter))]
public readonly record struct ReadingValue
{
    private readonly double _number;
    private readonly long _integer;

    private ReadingValue(ReadingValueKind kind, double number, long integer)
    {
        Kind = kind;
        _number = number;
        _integer = integer;
    }

    public ReadingValueKind Kind { get; }

    public static ReadingValue Number(double value) => new(ReadingValueKind.Number, value, 0);

    public static ReadingValue Integer(long value) => new(ReadingValueKind.Integer, 0, value);

    public static ReadingValue Boolean(bool value) => new(ReadingValueKind.Boolean, 0, value ? 1 : 0);

    public static implicit operator ReadingValue(double value) => Number(value);

    public static implicit operator ReadingValue(long value) => Integer(value);

    public static implicit operator ReadingValue(int value) => Integer(value);

    public static implicit operator ReadingValue(bool value) => Boolean(value);

    /// <summary>The value as a number: counts as they are, booleans as 0/1.</summary>
    public double AsDouble() => Kind switch
    {
        ReadingValueKind.Number => _number,
        _ => _integer,
    };

    public long AsInteger() => Kind == ReadingValueKind.Number ? (long)_number : _integer;

    public bool AsBoolean() => Kind == ReadingValueKind.Number ? _number != 0 : _integer != 0;

    public override string ToString() => Kind switch
    {
        ReadingValueKind.Number => _number.ToString("R", CultureInfo.InvariantCulture),
        ReadingValueKind.Integer => _integer.ToString(CultureInfo.InvariantCulture),
        _ => _integer != 0 ? "true" : "false",
    };
}

/// <summary>Numbers written without fraction or exponent are counts; JSON has no NaN or infinity, so neither does a reading.</summary>
public sealed class ReadingValueJsonConverter : JsonConverter<ReadingValue>
{
    public override ReadingValue Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.True:
                return ReadingValue.Boolean(true);
            case JsonTokenType.False:
                return ReadingValue.Boolean(false);
            case JsonTokenType.Number:
                ReadOnlySpan<byte> raw = reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan;
                if (raw.IndexOfAny(".eE"u8) < 0 && reader.TryGetInt64(out var integer))
                {
                    return ReadingValue.Integer(integer);
                }

                var number = reader.GetDouble();
                if (!double.IsFinite(number))
                {
                    throw new JsonException($"value {System.Text.Encoding.UTF8.GetString(raw)} is out of the range of a double");
                }

                return ReadingValue.Number(number);
            default:
                throw new JsonException($"a reading value must be a number or a boolean, not {reader.TokenType}");
        }
    }

    public override void Write(Utf8JsonWriter writer, ReadingValue value, JsonSerializerOptions options)
    {
        switch (value.Kind)
        {
            case ReadingValueKind.Boolean:
                writer.WriteBooleanValue(value.AsBoolean());
                break;
            case ReadingValueKind.Integer:
                writer.WriteNumberValue(value.AsInteger());
                break;
            default:
                var number = value.AsDouble();
                if (!double.IsFinite(number))
                {
                    throw new JsonException($"a reading value must be finite, not {number}");
                }

                // A whole-number measurement keeps a fraction so that it reads back as a measurement, not a count.
                if (number == Math.Floor(number) && Math.Abs(number) < 1e15)
                {
                    writer.WriteRawValue(number.ToString("0.0", CultureInfo.InvariantCulture), skipInputValidation: true);
                }
                else
                {
                    writer.WriteNumberValue(number);
                }

                break;
        }
    }
}
