using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;

namespace Telemetry.Mqtt.Tests.Support;

/// <summary>
/// A structural text form of packets and messages (byte memory as hex, lists element by element), so that two
/// values compare equal exactly when every field does, whatever the collection types.
/// </summary>
public static class Canonical
{
    public static string Describe(object? value)
    {
        var builder = new StringBuilder();
        Append(builder, value);
        return builder.ToString();
    }

    private static void Append(StringBuilder builder, object? value)
    {
        switch (value)
        {
            case null:
                builder.Append("null");
                return;
            case string text:
                builder.Append('"').Append(text).Append('"');
                return;
            case ReadOnlyMemory<byte> memory:
                builder.Append("0x").Append(Convert.ToHexString(memory.Span));
                return;
            case byte[] bytes:
                builder.Append("0x").Append(Convert.ToHexString(bytes));
                return;
            case TimeSpan span:
                builder.Append(span.Ticks.ToString(CultureInfo.InvariantCulture)).Append("ticks");
                return;
            case Enum or bool or char:
                builder.Append(value);
                return;
            case IFormattable formattable when value.GetType().IsPrimitive:
                builder.Append(formattable.ToString(null, CultureInfo.InvariantCulture));
                return;
            case IEnumerable sequence:
                builder.Append('[');
                var first = true;
                foreach (var item in sequence)
                {
                    if (!first)
                    {
                        builder.Append(", ");
                    }

                    first = false;
                    Append(builder, item);
                }

                builder.Append(']');
                return;
        }

        var type = value.GetType();
        builder.Append(type.Name).Append('{');
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            if (property.GetIndexParameters().Length > 0 || property.Name == "Completion")
            {
                continue;
            }

            builder.Append(property.Name).Append('=');
            Append(builder, property.GetValue(value));
            builder.Append("; ");
        }

        builder.Append('}');
    }
}
