using System.Globalization;
using System.Text;

namespace Telemetry.Ingest.Tests.Storage;

/// <summary>
/// A JSON document for generated payloads, written by hand so that tests choose what a serialiser never writes:
/// any property order, escapes, duplicate or missing properties, lone surrogates, bytes that are not UTF-8.
/// </summary>
internal abstract record Json
{
    public byte[] ToUtf8()
    {
        var bytes = new List<byte>();
        Write(bytes);
        return [.. bytes];
    }

    public abstract void Write(List<byte> output);

    protected static void Append(List<byte> output, string ascii) => output.AddRange(Encoding.UTF8.GetBytes(ascii));
}

/// <summary>Written as it is: a number, <c>true</c>, <c>null</c>, or anything else.</summary>
internal sealed record JsonRaw(string Text) : Json
{
    public override void Write(List<byte> output) => Append(output, Text);
}

/// <summary>A string; <paramref name="Escaped"/> writes every character as <c>\uXXXX</c> (a lone surrogate too).</summary>
internal sealed record JsonText(string Value, bool Escaped = false, byte[]? Bytes = null) : Json
{
    public override void Write(List<byte> output)
    {
        output.Add((byte)'"');
        if (Bytes is not null)
        {
            output.AddRange(Bytes);
        }
        else
        {
            var text = new StringBuilder();
            foreach (var c in Value)
            {
                if (Escaped || c < 0x20)
                {
                    text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
                }
                else if (c is '"' or '\\')
                {
                    text.Append('\\').Append(c);
                }
                else
                {
                    text.Append(c);
                }
            }

            Append(output, text.ToString());
        }

        output.Add((byte)'"');
    }
}

internal sealed record JsonObject(IReadOnlyList<(JsonText Name, Json Value)> Properties) : Json
{
    public Json? this[string name] => Properties.FirstOrDefault(p => p.Name.Value == name).Value;

    public JsonObject With(string name, Json value) =>
        Properties.Any(p => p.Name.Value == name)
            ? new([.. Properties.Select(p => p.Name.Value == name ? (p.Name, value) : p)])
            : new([.. Properties, (new JsonText(name), value)]);

    public JsonObject Without(string name) => new([.. Properties.Where(p => p.Name.Value != name)]);

    public JsonObject Twice(string name) => new([.. Properties, .. Properties.Where(p => p.Name.Value == name)]);

    public override void Write(List<byte> output)
    {
        output.Add((byte)'{');
        var first = true;
        foreach (var (name, value) in Properties)
        {
            if (!first)
            {
                output.Add((byte)',');
            }

            first = false;
            name.Write(output);
            output.Add((byte)':');
            value.Write(output);
        }

        output.Add((byte)'}');
    }
}

internal sealed record JsonArray(IReadOnlyList<Json> Items) : Json
{
    public override void Write(List<byte> output)
    {
        output.Add((byte)'[');
        for (var i = 0; i < Items.Count; i++)
        {
            if (i > 0)
            {
                output.Add((byte)',');
            }

            Items[i].Write(output);
        }

        output.Add((byte)']');
    }
}
