using System.Text.Json;
using System.Text.Json.Serialization;

namespace Telemetry.Hosting.Sequences;

/// <summary>
/// Where a consumer group keeps its <see cref="SequenceTracker"/>: a JSON file replaced whole (written beside, flushed, then
/// renamed over), so a crash leaves the old state or the new, never half of one. A save that is behind what was handled
/// costs nothing but a replay the consumer did not need (handling is idempotent); it never loses a number.
/// </summary>
public sealed class SequenceTrackerFile(string path)
{
    public string Path { get; } = path;

    /// <summary>
    /// The saved tracker; a new one when there is no file. A file that cannot be read is moved aside (<c>.unreadable</c>) and
    /// named in <paramref name="problem"/>, and tracking starts afresh: gaps from before it are then not noticed.
    /// </summary>
    public SequenceTracker Load(out string? problem)
    {
        problem = null;
        if (!File.Exists(Path))
        {
            return new SequenceTracker();
        }

        try
        {
            var snapshot = JsonSerializer.Deserialize(File.ReadAllBytes(Path), TrackerJson.Default.TrackerSnapshot)
                ?? throw new JsonException("the file holds null");
            return SequenceTracker.Restore(snapshot);
        }
        catch (JsonException ex)
        {
            problem = $"{Path} is not a readable sequence state ({ex.Message}); it was moved aside and tracking starts afresh";
            File.Move(Path, Path + ".unreadable", overwrite: true);
            return new SequenceTracker();
        }
    }

    public void Save(SequenceTracker tracker)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!;
        Directory.CreateDirectory(folder);
        var temporary = Path + ".new";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(file, tracker.Snapshot(), TrackerJson.Default.TrackerSnapshot);
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, Path, overwrite: true);
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(TrackerSnapshot))]
internal sealed partial class TrackerJson : JsonSerializerContext;
