using System.Globalization;
using System.Text.Json;
using Telemetry.Contracts;
using Telemetry.Devices.Sites;
using Telemetry.Maintenance.Faults;

namespace Telemetry.Api.Tickets;

/// <summary>
/// Reads the JSON body of a ticket action field by field, so that every wrong field is named in the answer: a missing
/// or blank required field, a wrong JSON type, a value out of its range, text over its length or with control
/// characters, and any field the action does not take. Free text is returned exactly as sent. Pure: any body can be
/// tried against it.
/// </summary>
public sealed class ActionBody
{
    /// <summary>The longest reason (reopen, regrade).</summary>
    public const int MaxReason = 500;

    /// <summary>The longest note, comment or description.</summary>
    public const int MaxText = 4000;

    /// <summary>The longest short text: a cause, an action, a part, a location.</summary>
    public const int MaxShortText = 500;

    /// <summary>The most parts one resolution lists.</summary>
    public const int MaxParts = 50;

    private readonly Dictionary<string, JsonElement> fields = new(StringComparer.Ordinal);
    private readonly HashSet<string> read = new(StringComparer.Ordinal);

    private ActionBody(Dictionary<string, string[]> problems) => Problems = problems;

    /// <summary>What is wrong, by field (<c>body</c> for the body as a whole); empty when nothing is.</summary>
    public Dictionary<string, string[]> Problems { get; }

    /// <summary>Reads <paramref name="body"/>, which must be one JSON object; an empty body reads as <c>{}</c> when <paramref name="emptyAllowed"/>.</summary>
    public static ActionBody Parse(ReadOnlyMemory<byte> body, bool emptyAllowed)
    {
        var parsed = new ActionBody(new Dictionary<string, string[]>(StringComparer.Ordinal));
        if (body.IsEmpty || body.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            if (!emptyAllowed)
            {
                parsed.Problems["body"] = ["a JSON object is required"];
            }

            return parsed;
        }

        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 8 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                parsed.Problems["body"] = [$"must be a JSON object, not {Kind(document.RootElement)}"];
                return parsed;
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!parsed.fields.TryAdd(property.Name, property.Value.Clone()))
                {
                    parsed.Problems[Shown(property.Name)] = ["is given twice"];
                }
            }
        }
        catch (JsonException e)
        {
            parsed.Problems["body"] = [$"is not valid JSON: {e.Message}"];
        }

        return parsed;
    }

    /// <summary>Free text as given: a string, not blank when required, at most <paramref name="max"/> characters, no control characters but tab and line breaks.</summary>
    public string? Text(string name, bool required, int max)
    {
        if (Value(name, required, JsonValueKind.String, "a string") is not { } value)
        {
            return null;
        }

        string text;
        try
        {
            text = value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            return Problem<string>(name, "is not valid Unicode text");
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return required ? Problem<string>(name, "must not be blank") : null;
        }

        if (text.Length > max)
        {
            return Problem<string>(name, $"is {text.Length} characters long, at most {max} are taken");
        }

        return text.Any(c => char.IsControl(c) && c is not '\t' and not '\n' and not '\r')
            ? Problem<string>(name, "must not contain control characters other than tab and line breaks")
            : text;
    }

    /// <summary>A crew, site or similar identifier (<see cref="Identifiers.Rule"/>).</summary>
    public string? Identifier(string name, bool required)
    {
        if (Value(name, required, JsonValueKind.String, "a string") is not { } value)
        {
            return null;
        }

        var text = value.GetString();
        return Identifiers.IsValid(text) ? text : Problem<string>(name, $"'{Clip(text)}' is invalid: {Identifiers.Rule}");
    }

    public FaultGrade? Grade(string name, bool required)
    {
        if (Value(name, required, JsonValueKind.Number, "a number") is not { } value)
        {
            return null;
        }

        return value.TryGetInt32(out var grade) && grade is >= 1 and <= 4 ? (FaultGrade)grade : Problem<FaultGrade?>(name, $"{Clip(value.GetRawText())} is not a grade (1-4)");
    }

    /// <summary>A whole number from <paramref name="lowest"/> to <paramref name="highest"/>.</summary>
    public int? Whole(string name, bool required, int lowest, int highest)
    {
        if (Value(name, required, JsonValueKind.Number, "a number") is not { } value)
        {
            return null;
        }

        return value.TryGetInt32(out var whole) && whole >= lowest && whole <= highest
            ? whole
            : Problem<int?>(name, string.Create(CultureInfo.InvariantCulture, $"{Clip(value.GetRawText())} is not a whole number from {lowest} to {highest}"));
    }

    public FaultType? Fault(string name, bool required)
    {
        if (Value(name, required, JsonValueKind.String, "a string") is not { } value)
        {
            return null;
        }

        return FaultType.TryParse(value.GetString(), out var fault)
            ? fault
            : Problem<FaultType>(name, $"'{Clip(value.GetString())}' is not a fault type: {string.Join(", ", FaultType.All.Select(f => f.ToName()))}");
    }

    public CrewZone? Zone(string name, bool required)
    {
        if (Value(name, required, JsonValueKind.String, "a string") is not { } value)
        {
            return null;
        }

        return CrewZones.TryParse(value.GetString(), out var zone)
            ? zone
            : Problem<CrewZone?>(name, $"'{Clip(value.GetString())}' is not a crew zone: {string.Join(", ", Enum.GetValues<CrewZone>().Select(z => z.ToJsonName()))}");
    }

    /// <summary>An asset key, <c>site/gateway[/device[/circuit]]</c>.</summary>
    public AssetRef? Asset(string name, bool required)
    {
        if (Value(name, required, JsonValueKind.String, "a string") is not { } value)
        {
            return null;
        }

        return AssetRef.TryParse(value.GetString()) ?? Problem<AssetRef>(name, $"'{Clip(value.GetString())}' is not an asset key (site/gateway[/device[/circuit]])");
    }

    /// <summary>One of <paramref name="choices"/>.</summary>
    public string? Choice(string name, bool required, params string[] choices)
    {
        if (Value(name, required, JsonValueKind.String, "a string") is not { } value)
        {
            return null;
        }

        var text = value.GetString();
        return choices.Contains(text, StringComparer.Ordinal) ? text : Problem<string>(name, $"'{Clip(text)}' must be one of {string.Join(", ", choices)}");
    }

    /// <summary>A list of short texts (parts used); empty when absent.</summary>
    public IReadOnlyList<string> TextList(string name, int maxItems, int maxLength)
    {
        if (Value(name, required: false, JsonValueKind.Array, "an array of strings") is not { } value)
        {
            return [];
        }

        if (value.GetArrayLength() > maxItems)
        {
            return Problem<IReadOnlyList<string>>(name, $"lists {value.GetArrayLength()} items, at most {maxItems} are taken") ?? [];
        }

        var items = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            string? text = null;
            try
            {
                text = item.ValueKind == JsonValueKind.String ? item.GetString() : null;
            }
            catch (InvalidOperationException)
            {
            }

            if (string.IsNullOrWhiteSpace(text) || text.Length > maxLength || text.Any(char.IsControl))
            {
                return Problem<IReadOnlyList<string>>(name, $"every item must be a string of 1 to {maxLength} characters without control characters") ?? [];
            }

            items.Add(text);
        }

        return items;
    }

    /// <summary>Names every field the action does not take; call after reading the ones it does.</summary>
    public ActionBody RefuseUnknownFields()
    {
        foreach (var name in fields.Keys.Where(n => !read.Contains(n)))
        {
            Problems[Shown(name)] = ["is not a field of this action"];
        }

        return this;
    }

    /// <summary>Records a problem found by the caller, such as two fields that exclude each other.</summary>
    public void Refuse(string name, string problem) => Problems[name] = [problem];

    public bool Has(string name) => fields.TryGetValue(name, out var value) && value.ValueKind != JsonValueKind.Null;

    private JsonElement? Value(string name, bool required, JsonValueKind kind, string expected)
    {
        read.Add(name);
        if (!fields.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required && !Problems.ContainsKey("body"))
            {
                Problems[name] = ["is required"];
            }

            return null;
        }

        if (value.ValueKind != kind)
        {
            Problems[name] = [$"must be {expected}, not {Kind(value)}"];
            return null;
        }

        return value;
    }

    private T? Problem<T>(string name, string problem)
    {
        Problems[name] = [problem];
        return default;
    }

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    /// <summary>A value quoted back in a problem, short enough to read.</summary>
    private static string Clip(string? text) => text is null ? "" : text.Length <= 64 ? text : text[..64] + "...";

    /// <summary>An unknown field's name as a key of the problem's errors: clipped, since anyone may send any name.</summary>
    private static string Shown(string name) => Clip(name);
}
