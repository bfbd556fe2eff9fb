using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Telemetry.Testing;

namespace Telemetry.Bench.Chaos;

/// <summary>How long a chaos run lasts and what it draws its schedule from: <c>--minutes</c>, <c>--seed</c>, <c>--settle-minutes</c>.</summary>
internal sealed record ChaosOptions(TimeSpan Chaos, int Seed, TimeSpan Settle)
{
    public static ChaosOptions Parse(IReadOnlyList<string> arguments)
    {
        var minutes = 10.0;
        var settle = 3.0;
        var seed = Random.Shared.Next(1, 1_000_000);
        for (var i = 0; i < arguments.Count; i++)
        {
            var value = i + 1 < arguments.Count ? arguments[i + 1] : throw new ArgumentException($"{arguments[i]} needs a value");
            switch (arguments[i])
            {
                case "--minutes":
                    minutes = double.Parse(value, CultureInfo.InvariantCulture);
                    break;
                case "--seed":
                    seed = int.Parse(value, CultureInfo.InvariantCulture);
                    break;
                case "--settle-minutes":
                    settle = double.Parse(value, CultureInfo.InvariantCulture);
                    break;
                default:
                    throw new ArgumentException($"unknown option {arguments[i]} (chaos takes --minutes, --seed and --settle-minutes)");
            }

            i++;
        }

        if (minutes is < 0.5 or > 240 || settle is < 0.5 or > 60)
        {
            throw new ArgumentException("--minutes must be from 0.5 to 240 and --settle-minutes from 0.5 to 60");
        }

        return new ChaosOptions(TimeSpan.FromMinutes(minutes), seed, TimeSpan.FromMinutes(settle));
    }
}

/// <summary>
/// Every reading arrives whatever the broker does: the demo plant polled every second or two while, for the chaos time,
/// Mosquitto, influxd, Ingest, Rules, the gateway and the Api are killed (SIGKILL, started again a few seconds later) and
/// paused (SIGSTOP, continued up to 20 s later) on a seeded random schedule, and faults are injected into simulated
/// devices. Then nothing more is done to the plant until it has settled (the gateway's buffer empty, no open gaps, every
/// produced batch stored, every fault ticketed) or the settle time is up, and the run reconciles: the gateway's own journal
/// of what it produced against InfluxDB and Rules, the faults against the tickets. Loopback only; the run's files in
/// <c>.chaos/</c>. Exits 1 when a reading, a batch or a ticket is missing or doubled, or a process did not come back.
/// </summary>
internal static class ChaosRun
{
    private static readonly TimeSpan SettleTick = TimeSpan.FromSeconds(3);

    public static async Task<int> RunAsync(ChaosOptions options)
    {
        var schedule = ChaosSchedule.Make(options.Seed, options.Chaos);
        var directory = Path.Combine(RepositoryPaths.Root, ".chaos", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-seed" + options.Seed.ToString(CultureInfo.InvariantCulture));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Chaos run: seed {schedule.Seed} (bench/run chaos --seed {schedule.Seed} --minutes {options.Chaos.TotalMinutes:0.#} replays the schedule), {options.Chaos.TotalMinutes:0.#} min of chaos, settling for {options.Settle.TotalMinutes:0.#} min at most"));
        Console.WriteLine($"  {schedule.Disruptions.Count(d => d.Kind == DisruptionKind.Kill)} kills and {schedule.Disruptions.Count(d => d.Kind == DisruptionKind.Pause)} pauses of {string.Join(", ", Enum.GetValues<ChaosTarget>())}; {schedule.PlannedFaults.Count} faults injected");
        Console.WriteLine($"  files of the run: {directory}");

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        await using var plant = await ChaosPlant.StartAsync(directory);
        try
        {
            return await RunAsync(plant, schedule, options, cancel.Token) ? 0 : 1;
        }
        finally
        {
            await plant.WriteLogsAsync();
            Console.WriteLine($"  logs of every process: {Path.Combine(directory, "logs")}");
        }
    }

    private static async Task<bool> RunAsync(ChaosPlant plant, ChaosSchedule schedule, ChaosOptions options, CancellationToken cancellationToken)
    {
        var stored = new StoredReadings(plant.Influx.Url, ChaosPlant.GatewayId);
        await Eventually.TrueAsync(async () => await stored.BatchCountAsync(cancellationToken) > 0, "the first readings are stored", TimeSpan.FromMinutes(1), () => plant.Gateway.Output);
        Console.WriteLine("  the plant is up and its readings are stored; the chaos begins");

        var origin = Stopwatch.GetTimestamp();
        await using var watch = new StoredReadingsWatch(stored, origin);
        var disruptions = schedule.Disruptions.Select(d => DisruptAsync(plant, d, origin, cancellationToken)).ToList();
        var faults = schedule.PlannedFaults.Select(f => InjectAsync(plant, f, origin, cancellationToken)).ToList();
        var disrupted = await Task.WhenAll(disruptions);
        var injected = await Task.WhenAll(faults);
        Console.WriteLine($"  [{Clock(origin)}] the chaos is over; settling");

        using var tickets = await Eventually.ValueAsync(
            async () =>
            {
                try
                {
                    return await PlantTickets.SignInAsync(plant.Api.HealthUrl, plant.Database);
                }
                catch (HttpRequestException)
                {
                    return null;
                }
            },
            t => t is not null,
            "signing in to the Api",
            TimeSpan.FromMinutes(1)) ?? throw new InvalidOperationException("could not sign in to the Api");
        var settled = await SettleAsync(plant, stored, tickets, schedule, origin, options.Settle, cancellationToken);
        Console.WriteLine(settled
            ? $"  [{Clock(origin)}] settled"
            : $"  [{Clock(origin)}] NOT settled within {options.Settle.TotalMinutes:0.#} min; reconciling what there is");

        // The journal must stop growing to be compared: the gateway stops as it would for maintenance, flushing its last batch.
        await plant.Gateway.StopAsync();
        var journal = GatewayJournal.Read(plant.GatewayArchive);
        await WaitAsync(async () => Covers(await stored.BatchesAsync(cancellationToken), journal), TimeSpan.FromSeconds(30), cancellationToken);

        // Rules saves its sequence file every few seconds.
        await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
        foreach (var outcome in disrupted)
        {
            outcome.FirstStored = outcome.Back is { } back ? watch.FirstGrowthAfter(back) : null;
        }

        var evidence = new ChaosEvidence(
            journal,
            await stored.ReadingsAsync(cancellationToken),
            await stored.BatchesAsync(cancellationToken),
            HandledSeqs.Read(plant.RulesSequences, ChaosPlant.Site, ChaosPlant.GatewayId),
            await SequencesAsync(plant.Ingest),
            await SequencesAsync(plant.Rules),
            injected,
            await tickets.AllAsync(ChaosPlant.Site, cancellationToken),
            disrupted);
        Console.WriteLine();
        var ok = ChaosReconciliation.Print(evidence, Console.Out);
        Console.WriteLine();
        Console.WriteLine(ok
            ? "  RECONCILED: every reading stored exactly once, every fault ticketed exactly once, every process back"
            : $"  NOT RECONCILED (see above); replay with bench/run chaos --seed {schedule.Seed} --minutes {options.Chaos.TotalMinutes.ToString(CultureInfo.InvariantCulture)}");
        return ok;
    }

    private static async Task<DisruptionOutcome> DisruptAsync(ChaosPlant plant, Disruption planned, long origin, CancellationToken cancellationToken)
    {
        await Task.Delay(Remaining(planned.At, origin), cancellationToken);
        var done = Stopwatch.GetElapsedTime(origin);
        var name = planned.Target.ToString();
        if (planned.Kind == DisruptionKind.Pause)
        {
            plant.Pause(planned.Target);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  [{Clock(origin)}] #{planned.Number} SIGSTOP {name} for {planned.Hold.TotalSeconds:F1} s"));
            await Task.Delay(planned.Hold, CancellationToken.None);
            plant.Resume(planned.Target);
            return new DisruptionOutcome(planned, done, Stopwatch.GetElapsedTime(origin), null);
        }

        plant.Kill(planned.Target);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  [{Clock(origin)}] #{planned.Number} SIGKILL {name}, started again in {planned.Hold.TotalSeconds:F1} s"));
        await Task.Delay(planned.Hold, CancellationToken.None);
        var back = Stopwatch.GetElapsedTime(origin);
        string? failure = null;
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            try
            {
                await plant.StartAgainAsync(planned.Target);
                failure = null;
                break;
            }
            catch (Exception ex) when (ex is InvalidOperationException or IOException or TimeoutException)
            {
                failure = ex.Message.Split('\n')[0];
                Console.WriteLine($"  [{Clock(origin)}] #{planned.Number} {name} did not start (attempt {attempt}): {failure}");
                await Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None);
            }
        }

        return new DisruptionOutcome(planned, done, back, failure);
    }

    private static async Task<FaultOutcome> InjectAsync(ChaosPlant plant, PlannedFault fault, long origin, CancellationToken cancellationToken)
    {
        await Task.Delay(Remaining(fault.At, origin), cancellationToken);
        var body = new Dictionary<string, object>(fault.Parameters, StringComparer.Ordinal) { ["fault"] = fault.Fault };
        try
        {
            await plant.Simulator.InjectFaultAsync(fault.Device, body);
            Console.WriteLine($"  [{Clock(origin)}] fault {fault.Describe()} on {fault.Device}");
            return new FaultOutcome(fault, Stopwatch.GetElapsedTime(origin), null);
        }
        catch (HttpRequestException ex)
        {
            return new FaultOutcome(fault, null, ex.Message);
        }
    }

    /// <summary>Waits, within <paramref name="bound"/>, until the plant has nothing left to deliver or repair and every fault is ticketed.</summary>
    private static async Task<bool> SettleAsync(
        ChaosPlant plant, StoredReadings stored, PlantTickets tickets, ChaosSchedule schedule, long origin, TimeSpan bound, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(bound.TotalSeconds * Stopwatch.Frequency);
        var said = TimeSpan.Zero;
        while (true)
        {
            string state;
            try
            {
                var pending = Number(await HealthAsync(plant.Gateway), "buffer", "pending_records");
                var ingestGaps = OpenGaps(await SequencesAsync(plant.Ingest));
                var rulesGaps = OpenGaps(await SequencesAsync(plant.Rules));
                var journal = GatewayJournal.Read(plant.GatewayArchive);
                var batches = await stored.BatchesAsync(cancellationToken);
                var all = await tickets.AllAsync(ChaosPlant.Site, cancellationToken);
                var ticketed = schedule.PlannedFaults.Count(f => all.Any(t => t.Fault == f.Ticket && PlantTickets.IsAbout(t, ChaosPlant.Site, ChaosPlant.GatewayId, f.Device)));
                var storedSeqs = batches.Select(b => b.Seq).ToHashSet();
                var unstored = journal.Count(b => !storedSeqs.Contains(b.Seq));
                state = $"gateway buffer {pending?.ToString(CultureInfo.InvariantCulture) ?? "?"}, open gaps Ingest {ingestGaps?.ToString(CultureInfo.InvariantCulture) ?? "n/a"} Rules {rulesGaps?.ToString(CultureInfo.InvariantCulture) ?? "n/a"}, batches not stored {unstored}, faults ticketed {ticketed} of {schedule.PlannedFaults.Count}";
                if (pending == 0 && ingestGaps is null or 0 && rulesGaps is null or 0 && unstored == 0 && ticketed == schedule.PlannedFaults.Count)
                {
                    Console.WriteLine($"  [{Clock(origin)}] {state}");
                    return true;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException && !cancellationToken.IsCancellationRequested)
            {
                state = $"waiting for an answer ({ex.Message.Split('\n')[0]})";
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                Console.WriteLine($"  [{Clock(origin)}] {state}");
                return false;
            }

            if (Stopwatch.GetElapsedTime(origin) - said > TimeSpan.FromSeconds(15))
            {
                said = Stopwatch.GetElapsedTime(origin);
                Console.WriteLine($"  [{Clock(origin)}] {state}");
            }

            await Task.Delay(SettleTick, cancellationToken);
        }
    }

    private static bool Covers(IReadOnlyList<(long Seq, long Readings)> batches, IReadOnlyList<JournalBatch> journal)
    {
        var seqs = batches.Select(b => b.Seq).ToHashSet();
        return journal.All(b => seqs.Contains(b.Seq));
    }

    private static async Task WaitAsync(Func<Task<bool>> done, TimeSpan bound, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + bound;
        while (DateTime.UtcNow < deadline && !await done())
        {
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
    }

    private static async Task<JsonElement?> HealthAsync(ServiceProcess service)
    {
        using var document = JsonDocument.Parse(await service.HealthAsync());
        return document.RootElement.Clone();
    }

    /// <summary>The consumer's <c>sequences</c> health entry, null when it has none (or does not answer).</summary>
    private static async Task<JsonElement?> SequencesAsync(ServiceProcess service)
    {
        try
        {
            return await HealthAsync(service) is { } health && health.TryGetProperty("sequences", out var sequences) ? sequences : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
        {
            return null;
        }
    }

    /// <summary>The open gaps a <c>sequences</c> entry counts (a number, or a list of them), null when it says nothing of them.</summary>
    private static long? OpenGaps(JsonElement? sequences) =>
        sequences is { ValueKind: JsonValueKind.Object } entry && entry.TryGetProperty("open_gaps", out var open) ? open.GetInt64() : null;

    private static long? Number(JsonElement? document, string entry, string name) =>
        document is { } d && d.TryGetProperty(entry, out var e) && e.TryGetProperty(name, out var n) && n.ValueKind == JsonValueKind.Number ? n.GetInt64() : null;

    private static TimeSpan Remaining(TimeSpan at, long origin)
    {
        var remaining = at - Stopwatch.GetElapsedTime(origin);
        return remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;
    }

    private static string Clock(long origin)
    {
        var t = Stopwatch.GetElapsedTime(origin);
        return $"{(int)t.TotalMinutes:D2}:{t.Seconds:D2}";
    }
}
