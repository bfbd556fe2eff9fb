using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Telemetry.Fuzzing.Inputs;

/// <summary>
/// A valid document laid out for mutation: read as a <see cref="JsonNode"/> tree, written compact, and every node
/// of the tree noted with where it lies in the text, so that a mutation replaces, deletes or inserts nodes by
/// splicing bytes instead of cloning the tree (a million inputs per path must be cheap to make). Its own
/// scalars and keys, and the words of its domain given with it, are leaves too: hostile values of the right
/// vocabulary reach further into the code than random ones.
/// </summary>
public sealed class JsonTemplate
{
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private JsonTemplate(string name, byte[] utf8, JsonSpot[] spots, byte[][] scalars, byte[][] keys)
    {
        Name = name;
        Utf8 = utf8;
        Spots = spots;
        Scalars = scalars;
        Keys = keys;
    }

    /// <summary>What the document is, for messages: <c>reading batch</c>, <c>profile jg-hmc24</c>.</summary>
    public string Name { get; }

    /// <summary>The valid document, compact, UTF-8.</summary>
    public byte[] Utf8 { get; }

    /// <summary>Every node of the document: the root first, then in document order.</summary>
    internal JsonSpot[] Spots { get; }

    /// <summary>The document's scalars and the extra words of its domain, as JSON tokens.</summary>
    internal byte[][] Scalars { get; }

    /// <summary>The document's property names and the extra names of its domain, as JSON strings.</summary>
    internal byte[][] Keys { get; }

    /// <summary>Lays out <paramref name="json"/>, which must be a valid document.</summary>
    /// <param name="name">What the document is.</param>
    /// <param name="json">The document.</param>
    /// <param name="words">Strings of the document's domain to use as leaves (action names, point names...).</param>
    /// <param name="names">Property names of the domain to insert (the document's own are used anyway).</param>
    public static JsonTemplate From(string name, string json, IEnumerable<string>? words = null, IEnumerable<string>? names = null)
    {
        var root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })
            ?? throw new ArgumentException($"the template {name} is JSON null", nameof(json));
        var layout = new Layout();
        layout.Write(root, parent: -1, memberStart: 0);
        var scalars = layout.Scalars.Concat((words ?? []).Select(w => JsonSerializer.Serialize(w, Compact)))
            .Distinct(StringComparer.Ordinal).Select(Encoding.UTF8.GetBytes).ToArray();
        var keys = layout.Keys.Concat((names ?? []).Select(n => JsonSerializer.Serialize(n, Compact)))
            .Distinct(StringComparer.Ordinal).Select(Encoding.UTF8.GetBytes).ToArray();
        return new JsonTemplate(name, layout.Text.ToArray(), [.. layout.Spots], scalars, keys);
    }

    /// <summary>Writes the tree compact and notes every node's place in the UTF-8 text.</summary>
    private sealed class Layout
    {
        public List<byte> Text { get; } = [];

        public List<JsonSpot> Spots { get; } = [];

        public HashSet<string> Scalars { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Keys { get; } = new(StringComparer.Ordinal);

        public int Write(JsonNode? node, int parent, int memberStart)
        {
            var index = Spots.Count;
            var start = Text.Count;
            Spots.Add(default);
            var kind = node?.GetValueKind() ?? JsonValueKind.Null;
            switch (node)
            {
                case JsonObject obj:
                    Append("{");
                    WriteChildren(obj.Select(p => (Key: (string?)p.Key, Value: p.Value)), index);
                    Append("}");
                    break;
                case JsonArray array:
                    Append("[");
                    WriteChildren(array.Select(v => (Key: (string?)null, Value: v)), index);
                    Append("]");
                    break;
                default:
                    var scalar = node?.ToJsonString(Compact) ?? "null";
                    Scalars.Add(scalar);
                    Append(scalar);
                    break;
            }

            Spots[index] = new JsonSpot(start, Text.Count, memberStart < 0 ? start : memberStart, kind, parent);
            return index;
        }

        private void WriteChildren(IEnumerable<(string? Key, JsonNode? Value)> children, int parent)
        {
            var previous = -1;
            foreach (var (key, value) in children)
            {
                if (previous >= 0)
                {
                    Append(",");
                }

                var memberStart = Text.Count;
                if (key is not null)
                {
                    var name = JsonSerializer.Serialize(key, Compact);
                    Keys.Add(name);
                    Append(name);
                    Append(":");
                }

                var child = Write(value, parent, key is null ? -1 : memberStart);
                if (previous >= 0)
                {
                    Spots[previous] = Spots[previous] with { NextMemberStart = Spots[child].MemberStart };
                    Spots[child] = Spots[child] with { PreviousEnd = Spots[previous].End };
                }

                previous = child;
            }
        }

        private void Append(string text) => Text.AddRange(Encoding.UTF8.GetBytes(text));
    }
}

/// <summary>Where one node of a <see cref="JsonTemplate"/> lies.</summary>
/// <param name="Start">First byte of the value.</param>
/// <param name="End">Byte after the value.</param>
/// <param name="MemberStart">First byte of the member: the key of an object member, the value otherwise.</param>
/// <param name="Kind">What the value is.</param>
/// <param name="Parent">The container's spot; -1 for the root.</param>
internal readonly record struct JsonSpot(int Start, int End, int MemberStart, JsonValueKind Kind, int Parent)
{
    /// <summary>Where the next sibling's member starts (after the comma); -1 for the last.</summary>
    public int NextMemberStart { get; init; } = -1;

    /// <summary>Where the previous sibling's value ends (before the comma); -1 for the first.</summary>
    public int PreviousEnd { get; init; } = -1;

    public bool IsContainer => Kind is JsonValueKind.Object or JsonValueKind.Array;

    public bool IsMember => MemberStart != Start;
}
