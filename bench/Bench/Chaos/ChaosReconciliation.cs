using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Telemetry.Bench.Chaos;

/// <summary>What happened to one planned kill or pause: when it was done, how long the process was down, and what came of it.</summary>
internal sealed record DisruptionOutcome(Disruption Planned, TimeSpan Done, TimeSpan? Back, string? Failure)
{
    /// <summary>From the restart (or continue) to the first reading stored after it.</summary>
    public TimeSpan? FirstStored { get; set; }
}

/// <summary>A fault as it was injected (or not, with why).</summary>
internal sealed record FaultOutcome(PlannedFault Planned, TimeSpan? Injected, string? Failure);

/// <summary>The seqs a consumer has handled, from its sequence file: every seq up to the floor and every one in a range.</summary>
internal sealed record HandledSeqs(long Floor, IReadOnlyList<(long First, long Last)> Ranges)
{
    public bool Contains(long seq) => seq <= Floor || Ranges.Any(r => seq >= r.First && seq <= r.Last);

    /// <summary>The stream of <paramref name="gateway"/> in a sequence file (a JSON tracker snapshot); null when there is no file or no such stream.</summary>
    public static HandledSeqs? Read(string path, string site, string gateway)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        if (!TryGet(document.RootElement, "streams", out var streams) || streams.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (var stream in streams.EnumerateArray())
        {
            if (TryGet(stream, "site", out var s) && s.GetString() == site && TryGet(stream, "gateway", out var g) && g.GetString() == gateway)
            {
                var floor = TryGet(stream, "floor", out var f) ? f.GetInt64() : 0;
                var ranges = TryGet(stream, "ranges", out var r) && r.ValueKind == JsonValueKind.Array
                    ? r.EnumerateArray().Select(x => (x[0].GetInt64(), x[x.GetArrayLength() - 1].GetInt64())).ToList()
                    : [];
                return new HandledSeqs(floor, ranges);
            }
        }

        return new HandledSeqs(0, []);
    }

    private static bool TryGet(JsonElement element, string snakeName, out JsonElement value)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name.Replace("_", "", StringComparison.Ordinal), snakeName.Replace("_", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }

        value = default;
        return false;
    }
}

/// <summary>Everything a chaos run's witnesses say at the end, set side by side.</summary>
internal sealed record ChaosEvidence(
    IReadOnlyList<JournalBatch> Journal,
    HashSet<ReadingKey> StoredReadings,
    IReadOnlyList<(long Seq, long Readings)> StoredBatches,
    HandledSeqs? JudgedByRules,
    JsonElement? IngestSequences,
    JsonElement? RulesSequences,
    IReadOnlyList<FaultOutcome> Faults,
    IReadOnlyList<TicketSeen> Tickets,
    IReadOnlyList<DisruptionOutcome> Disruptions);

/// <summary>
/// Sets what the gateway produced against what InfluxDB holds and Rules judged, and the injected faults against the tickets,
/// and prints it all as one table; says whether every reading arrived exactly once and every fault opened exactly one ticket.
/// </summary>
internal static class ChaosReconciliation
{
    private const int Shown = 12;

    public static bool Print(ChaosEvidence evidence, TextWriter output)
    {
        var ok = PrintReadings(evidence, output);
        output.WriteLine();
        ok &= PrintFaults(evidence, output);
        output.WriteLine();
        return PrintDisruptions(evidence, output) && ok;
    }

    /// <summary>The gateway's journal against InfluxDB and Rules: every batch and reading exactly once.</summary>
    private static bool PrintReadings(ChaosEvidence evidence, TextWriter output)
    {
        var ok = true;
        var journalSeqs = evidence.Journal.Select(b => b.Seq).ToList();
        var produced = evidence.Journal.SelectMany(b => b.Readings).ToList();
        var producedKeys = produced.ToHashSet();

        output.WriteLine("Readings and batches");
        Row(output, "batches the gateway produced (its archive)", Count(journalSeqs.Count), journalSeqs.Count == 0 ? "" : $"seq {journalSeqs[0]} to {journalSeqs[^1]}");
        var unused = journalSeqs.Count == 0 ? [] : Missing(Enumerable.Range(0, (int)(journalSeqs[^1] - journalSeqs[0] + 1)).Select(i => journalSeqs[0] + i), journalSeqs.ToHashSet());
        if (unused.Count > 0)
        {
            Row(output, "  seqs numbered but never queued (a kill in between)", Count(unused.Count), Ranges(unused));
        }

        Row(output, "readings the gateway produced", Count(produced.Count), produced.Count == producedKeys.Count ? "" : $"{produced.Count - producedKeys.Count} share a series and time");

        // Ingest: every batch has its batches point, every reading its own point, nothing else.
        var storedSeqs = evidence.StoredBatches.GroupBy(b => b.Seq).ToDictionary(g => g.Key, g => g.ToList());
        var batchesMissing = journalSeqs.Where(s => !storedSeqs.ContainsKey(s)).ToList();
        var journalSet = journalSeqs.ToHashSet();
        var batchesExtra = storedSeqs.Keys.Where(s => !journalSet.Contains(s)).Order().ToList();
        var batchesTwice = storedSeqs.Where(s => s.Value.Count > 1).Select(s => s.Key).Order().ToList();
        var journalBySeq = evidence.Journal.ToDictionary(b => b.Seq);
        var countsWrong = storedSeqs.Where(s => journalBySeq.TryGetValue(s.Key, out var b) && s.Value.Any(v => v.Readings != b.Readings.Count)).Select(s => s.Key).Order().ToList();
        Row(output, "batches in InfluxDB (batches measurement)", Count(storedSeqs.Count), Ratio(journalSeqs.Count - batchesMissing.Count, journalSeqs.Count));
        ok &= Check(output, "  produced, not in InfluxDB", batchesMissing);
        ok &= Check(output, "  in InfluxDB, never produced", batchesExtra);
        ok &= Check(output, "  stored twice (two points of one seq)", batchesTwice);
        ok &= Check(output, "  stored with another reading count", countsWrong);

        var readingsMissing = produced.Where(k => !evidence.StoredReadings.Contains(k)).Distinct().ToList();
        var readingsExtra = evidence.StoredReadings.Where(k => !producedKeys.Contains(k)).ToList();
        Row(output, "readings in InfluxDB (distinct series and time)", Count(evidence.StoredReadings.Count), Ratio(producedKeys.Count - readingsMissing.Count, producedKeys.Count));
        if (readingsMissing.Count > 0)
        {
            var missingKeys = readingsMissing.ToHashSet();
            var seqs = evidence.Journal.Where(b => b.Readings.Any(missingKeys.Contains)).Select(b => b.Seq).ToList();
            Row(output, "  produced, not in InfluxDB", Count(readingsMissing.Count), $"of seqs {Ranges(seqs)}; e.g. {string.Join(", ", readingsMissing.Take(3))}");
            ok = false;
        }
        else
        {
            Row(output, "  produced, not in InfluxDB", "0", "");
        }

        if (readingsExtra.Count > 0)
        {
            Row(output, "  in InfluxDB, never produced", Count(readingsExtra.Count), $"e.g. {string.Join(", ", readingsExtra.Take(3))}");
            ok = false;
        }
        else
        {
            Row(output, "  in InfluxDB, never produced", "0", "");
        }

        Row(output, "Ingest sequence repair (its /healthz)", "", Sequences(evidence.IngestSequences));

        // Rules: the seqs its sequence file says it judged.
        if (evidence.JudgedByRules is { } judged)
        {
            var notJudged = journalSeqs.Where(s => !judged.Contains(s)).ToList();
            Row(output, "batches judged by Rules (its sequence file)", Count(journalSeqs.Count - notJudged.Count), Ratio(journalSeqs.Count - notJudged.Count, journalSeqs.Count));
            ok &= Check(output, "  produced, not judged", notJudged);
        }
        else
        {
            Row(output, "batches judged by Rules (its sequence file)", "n/a", "Rules keeps no sequence file (Sequences:File): not checked");
        }

        Row(output, "Rules sequence repair (its /healthz)", "", Sequences(evidence.RulesSequences));
        return ok;
    }

    /// <summary>Each injected fault against the tickets about its device: exactly one each; the other tickets listed.</summary>
    private static bool PrintFaults(ChaosEvidence evidence, TextWriter output)
    {
        var ok = true;
        output.WriteLine("Faults injected and tickets opened (exactly one each)");
        output.WriteLine($"  {"at",7}  {"device",-8} {"fault injected",-34} {"ticket expected",-22} {"tickets",7}  numbers");
        var explained = new HashSet<string>(StringComparer.Ordinal);
        foreach (var fault in evidence.Faults)
        {
            var tickets = evidence.Tickets
                .Where(t => t.Fault == fault.Planned.Ticket && PlantTickets.IsAbout(t, ChaosPlant.Site, ChaosPlant.GatewayId, fault.Planned.Device))
                .ToList();
            explained.UnionWith(tickets.Select(t => t.Number));
            var verdict = fault.Failure is not null ? $"not injected: {fault.Failure}" : tickets.Count == 1 ? "" : tickets.Count == 0 ? "NO TICKET" : "DUPLICATED";
            ok &= fault.Failure is null && tickets.Count == 1;
            output.WriteLine($"  {Clock(fault.Injected),7}  {fault.Planned.Device,-8} {fault.Planned.Describe(),-34} {fault.Planned.Ticket,-22} {tickets.Count,7}  {string.Join(' ', tickets.Select(t => t.Number))} {verdict}".TrimEnd());
        }

        var others = evidence.Tickets.Where(t => !explained.Contains(t.Number)).GroupBy(t => t.Fault).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        output.WriteLine(others.Count == 0
            ? "  other tickets: none"
            : $"  other tickets (not from injected faults; the kills and pauses may cause them): {string.Join(", ", others.Select(g => $"{g.Key} ×{g.Count()} ({string.Join(' ', g.Select(t => t.Asset.Split('/').Last()).Distinct().Take(4))})"))}");
        return ok;
    }

    /// <summary>Each kill and pause, whether the process came back, and the time from then to the first reading stored.</summary>
    private static bool PrintDisruptions(ChaosEvidence evidence, TextWriter output)
    {
        var ok = true;
        output.WriteLine("Kills and pauses");
        output.WriteLine($"  {"#",3} {"at",7}  {"process",-9} {"what",-7} {"held",6} {"back",7}  {"first stored reading after",26}");
        foreach (var d in evidence.Disruptions)
        {
            var what = d.Planned.Kind == DisruptionKind.Kill ? "SIGKILL" : "SIGSTOP";
            var back = d.Failure is not null ? $"FAILED: {d.Failure}" : d.Back is { } b ? Clock(b) : "-";
            ok &= d.Failure is null;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {d.Planned.Number,3} {Clock(d.Done),7}  {d.Planned.Target,-9} {what,-7} {d.Planned.Hold.TotalSeconds,5:F1}s {back,7}  {StoredReadingsWatch.Format(d.FirstStored),26}"));
        }

        foreach (var kind in Enum.GetValues<DisruptionKind>())
        {
            var of = evidence.Disruptions.Where(d => d.Planned.Kind == kind && d.FirstStored is not null).Select(d => d.FirstStored!.Value.TotalSeconds).ToList();
            if (of.Count > 0)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {(kind == DisruptionKind.Kill ? "restart" : "continue")} -> first stored reading: median {Figures.Median(of):F1} s, longest {of.Max():F1} s, over {of.Count}"));
            }
        }

        return ok;
    }

    private static bool Check(TextWriter output, string what, IReadOnlyList<long> seqs)
    {
        Row(output, what, Count(seqs.Count), seqs.Count == 0 ? "" : "seqs " + Ranges(seqs));
        return seqs.Count == 0;
    }

    private static List<long> Missing(IEnumerable<long> all, HashSet<long> present) => [.. all.Where(s => !present.Contains(s))];

    private static void Row(TextWriter output, string what, string value, string note) =>
        output.WriteLine($"  {what,-52} {value,9}  {note}".TrimEnd());

    private static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static string Ratio(long part, long whole) =>
        whole == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $"{part:N0} of {whole:N0} produced ({(double)part / whole:P2})");

    private static string Clock(TimeSpan? at) => at is { } t ? $"{(int)t.TotalMinutes:D2}:{t.Seconds:D2}" : "-";

    /// <summary>Seqs as ranges, <c>12-15, 40</c>, the first few of them.</summary>
    public static string Ranges(IEnumerable<long> seqs)
    {
        var ranges = new List<(long First, long Last)>();
        foreach (var seq in seqs.Order())
        {
            if (ranges.Count > 0 && seq <= ranges[^1].Last + 1)
            {
                ranges[^1] = (ranges[^1].First, Math.Max(seq, ranges[^1].Last));
            }
            else
            {
                ranges.Add((seq, seq));
            }
        }

        var text = string.Join(", ", ranges.Take(Shown).Select(r => r.First == r.Last ? $"{r.First}" : $"{r.First}-{r.Last}"));
        return ranges.Count > Shown ? $"{text} and {ranges.Count - Shown} more ranges" : text;
    }

    private static readonly string[] SequenceCounts =
        ["handled", "gaps_opened", "recovered", "found_stored", "replays_requested", "replayed_batches", "duplicates", "skipped", "forgotten", "lost", "open_gaps"];

    /// <summary>The counts of a consumer's <c>sequences</c> health entry (gap repair since its last start); n/a when it has none.</summary>
    private static string Sequences(JsonElement? entry)
    {
        if (entry is not { ValueKind: JsonValueKind.Object } sequences)
        {
            return "n/a (no \"sequences\" entry)";
        }

        var text = new StringBuilder();
        foreach (var name in SequenceCounts)
        {
            if (sequences.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number)
            {
                text.Append(text.Length > 0 ? ", " : "").Append(name.Replace('_', ' ')).Append(' ').Append(value.GetRawText());
            }
        }

        return text.Length == 0 ? "n/a (no counts)" : text.ToString();
    }
}
