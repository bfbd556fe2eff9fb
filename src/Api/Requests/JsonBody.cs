using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Telemetry.Api.Requests;

/// <summary>
/// A JSON object request body read field by field, so that every bad value (a wrong type, a missing or unknown field,
/// a body that is no JSON or too large) is a problem named by its field, as <c>errors[field]</c> of a 400, never a
/// binding failure with no name or a 500. Items of an array are named <c>changes[0].value</c>.
/// </summary>
public sealed class JsonBody
{
    private readonly JsonElement root;
    private readonly string prefix;

    private JsonBody(JsonElement root, string prefix, Dictionary<string, string[]> problems)
    {
        this.root = root;
        this.prefix = prefix;
        Problems = problems;
    }

    /// <summary>Every problem so far, by field name.</summary>
    public Dictionary<string, string[]> Problems { get; }

    public bool IsValid => Problems.Count == 0;

    /// <summary>
    /// Reads the body as one JSON object of at most <paramref name="maxBytes"/>; a body that is not one leaves a
    /// problem under <c>body</c> and every field reads as missing.
    /// </summary>
    public static async Task<JsonBody> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var problems = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var empty = new JsonBody(default, "", problems);
        if (request.ContentLength > maxBytes)
        {
            problems["body"] = [string.Create(CultureInfo.InvariantCulture, $"is {request.ContentLength} bytes; at most {maxBytes} are accepted")];
            return empty;
        }

        // Read no more than the limit, whatever the length header says.
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > maxBytes)
            {
                problems["body"] = [string.Create(CultureInfo.InvariantCulture, $"is larger than {maxBytes} bytes")];
                return empty;
            }
        }

        try
        {
            using var document = JsonDocument.Parse(buffer.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                problems["body"] = ["must be a JSON object"];
                return empty;
            }

            return new JsonBody(document.RootElement.Clone(), "", problems);
        }
        catch (JsonException ex)
        {
            problems["body"] = [$"is not JSON: {ex.Message}"];
            return empty;
        }
    }

    /// <summary>Names every field not in <paramref name="known"/> as a problem: a misspelt field must not be silently ignored.</summary>
    public void AllowOnly(params string[] known)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var property in root.EnumerateObject().Where(p => !known.Contains(p.Name, StringComparer.Ordinal)))
        {
            Add(Name(property.Name.Length > 64 ? property.Name[..64] : property.Name), $"is not a field of this request; the fields are {string.Join(", ", known)}");
        }
    }

    /// <summary>True when the field is present, even as null.</summary>
    public bool Has(string name) => root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out _);

    /// <summary>A string field, trimmed of nothing: free text is kept as given.</summary>
    public string? String(string name, bool required, int maxLength)
    {
        if (!Field(name, required, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            return Refuse<string>(name, "must be a string");
        }

        var text = value.GetString()!;
        if (required && string.IsNullOrWhiteSpace(text))
        {
            return Refuse<string>(name, "is required");
        }

        return text.Length > maxLength
            ? Refuse<string>(name, string.Create(CultureInfo.InvariantCulture, $"is {text.Length} characters long; at most {maxLength} are allowed"))
            : text;
    }

    /// <summary>A finite number; null when absent or null.</summary>
    public double? Number(string name, bool required)
    {
        if (!Field(name, required, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number)
            ? number
            : RefuseValue<double>(name, "must be a finite number");
    }

    /// <summary>A whole number from <paramref name="minimum"/> to <paramref name="maximum"/>; null when absent or null.</summary>
    public long? Integer(string name, bool required, long minimum, long maximum)
    {
        if (!Field(name, required, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) && number >= minimum && number <= maximum
            ? number
            : RefuseValue<long>(name, string.Create(CultureInfo.InvariantCulture, $"must be a whole number from {minimum} to {maximum}"));
    }

    /// <summary>A time with its offset (ISO 8601, e.g. <c>2026-12-01T00:00:00Z</c>).</summary>
    public DateTimeOffset? Time(string name, bool required)
    {
        if (!Field(name, required, out var value))
        {
            return null;
        }

        // A time without its offset would be read in the server's zone: refused rather than guessed.
        return value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var time) && HasOffset(value.GetString()!)
            ? time
            : RefuseValue<DateTimeOffset>(name, "must be a time in ISO 8601 with its offset, e.g. 2026-12-01T00:00:00Z");
    }

    /// <summary>The objects of an array field, each read as a body of its own whose problems are named <c>name[i].field</c>.</summary>
    public IReadOnlyList<JsonBody> Objects(string name, int minimum, int maximum)
    {
        if (!Field(name, true, out var value))
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            return Refuse<IReadOnlyList<JsonBody>>(name, "must be an array") ?? [];
        }

        var count = value.GetArrayLength();
        if (count < minimum || count > maximum)
        {
            return Refuse<IReadOnlyList<JsonBody>>(name, string.Create(CultureInfo.InvariantCulture, $"must hold {minimum} to {maximum} items, not {count}")) ?? [];
        }

        var items = new List<JsonBody>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            var itemName = string.Create(CultureInfo.InvariantCulture, $"{Name(name)}[{index++}]");
            if (item.ValueKind != JsonValueKind.Object)
            {
                Problems[itemName] = ["must be a JSON object"];
                continue;
            }

            items.Add(new JsonBody(item, itemName + ".", Problems));
        }

        return items;
    }

    /// <summary>Records a problem with a field found by the caller's own checks.</summary>
    public void Add(string name, string message)
    {
        var key = name.StartsWith(prefix, StringComparison.Ordinal) ? name : Name(name);
        Problems[key] = Problems.TryGetValue(key, out var earlier) ? [.. earlier, message] : [message];
    }

    /// <summary>The 400 problem listing every field's problems.</summary>
    public ProblemHttpResult Problem(string title) => TypedResults.Problem(new HttpValidationProblemDetails(Problems)
    {
        Title = title,
        Status = StatusCodes.Status400BadRequest,
    });

    private bool Field(string name, bool required, out JsonElement value)
    {
        value = default;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(name, out value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required && root.ValueKind == JsonValueKind.Object)
            {
                Add(name, "is required");
            }

            return false;
        }

        return true;
    }

    private static bool HasOffset(string text) =>
        text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');

    private string Name(string name) => prefix + name;

    private T? Refuse<T>(string name, string message)
        where T : class
    {
        Add(name, message);
        return null;
    }

    private T? RefuseValue<T>(string name, string message)
        where T : struct
    {
        Add(name, message);
        return null;
    }
}
