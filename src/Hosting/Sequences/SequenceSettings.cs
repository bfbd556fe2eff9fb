using System.Globalization;

namespace Telemetry.Hosting.Sequences;

/// <summary>How a consumer group follows each gateway's batch numbers and asks for the ones it missed; section <c>Sequences</c>.</summary>
public sealed class SequenceSettings
{
    public const string SectionName = "Sequences";

    /// <summary>Where the numbers handled are kept across restarts (a JSON file replaced whole).</summary>
    public string File { get; set; } = "";

    /// <summary>How long a gap may stay open before it is asked for: batches overtake each other in flight.</summary>
    public TimeSpan Grace { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long after asking for a gap it is asked for again while it stays open.</summary>
    public TimeSpan Retry { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a gap is asked for before its batches are given up as lost (reported, never silently).</summary>
    public int MaxAsks { get; set; } = 20;

    /// <summary>The most batches one replay request asks for (the gateway's own bound, 5000 unless it says otherwise).</summary>
    public int MaxBatchesPerRequest { get; set; } = 5000;

    /// <summary>How often gaps are looked for and the state saved.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a gateway may act on a replay request after it was sent.</summary>
    public TimeSpan RequestLifetime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long after batches were lost the health says so (their data-gap ticket stays until a crew closes it).</summary>
    public TimeSpan LostShownFor { get; set; } = TimeSpan.FromHours(1);

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(File))
        {
            yield return $"{SectionName}:File must name the file the handled batch numbers are kept in.";
        }

        foreach (var (name, value, least, most) in new[]
        {
            (nameof(Grace), Grace, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1)),
            (nameof(Retry), Retry, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1)),
            (nameof(CheckInterval), CheckInterval, TimeSpan.FromMilliseconds(50), TimeSpan.FromMinutes(1)),
            (nameof(RequestLifetime), RequestLifetime, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1)),
            (nameof(LostShownFor), LostShownFor, TimeSpan.Zero, TimeSpan.FromDays(30)),
        })
        {
            if (value < least || value > most)
            {
                yield return string.Create(CultureInfo.InvariantCulture, $"{SectionName}:{name} ({value}) must be from {least} to {most}.");
            }
        }

        if (MaxAsks is < 1 or > 1000)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"{SectionName}:MaxAsks ({MaxAsks}) must be from 1 to 1000.");
        }

        if (MaxBatchesPerRequest is < 1 or > 1_000_000)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"{SectionName}:MaxBatchesPerRequest ({MaxBatchesPerRequest}) must be from 1 to 1000000.");
        }
    }
}
