using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.AspNetCore.WebUtilities;
using Telemetry.Fuzzing;

namespace Telemetry.Bench;

/// <summary>
/// Every untrusted input path fed generated hostile inputs in-process, each followed by a valid one, as the
/// property tests do with 5,000: the rate of the path against the rate of only parsing the same inputs
/// (JSON with <see cref="JsonDocument.Parse(ReadOnlyMemory{byte}, JsonDocumentOptions)"/>, a query string with
/// ASP.NET Core's parser, a route value by decoding it), timed in the same chunks; the slowest input; what was
/// refused, by reason; and the failures of the invariant, which must be none.
/// </summary>
internal static class FuzzBenchmark
{
    private const int Chunk = 5_000;
    private const int Size = 100;
    private const int PrintedFailures = 5;

    public static void Run(int inputs, string? only)
    {
        var paths = FuzzTargets.Names.Where(n => only is null || n == only).ToList();
        Console.WriteLine($"Fuzzing {paths.Count} input paths in-process: {inputs:N0} generated inputs per path, each followed by a valid one");
        var failures = 0L;
        foreach (var name in paths)
        {
            failures += RunPath(name, inputs);
        }

        Console.WriteLine();
        Counted("failures of the invariant, all paths", failures, target: 0);
    }

    private static long RunPath(string name, int inputs)
    {
        var target = FuzzTargets.Create(name);
        try
        {
            var run = new PathRun(target, Floor(name));

            // A first chunk, not counted, compiles the path and its floor.
            run.Feed(Gen.Sample(target.Inputs, Math.Min(Chunk, inputs), new Rnd(ulong.MaxValue), Size), counted: false);
            for (var done = 0; done < inputs; done += Chunk)
            {
                run.Feed(Gen.Sample(target.Inputs, Math.Min(Chunk, inputs - done), new Rnd((ulong)done + 1), Size), counted: true);
            }

            run.Print();
            return run.Failures;
        }
        finally
        {
            (target as IDisposable)?.Dispose();
        }
    }

    /// <summary>
    /// Parsing only, as every input of the path must be parsed at least: the limit of its rate. A path reading JSON
    /// is to take at most ten times what parsing the same inputs takes: hostile input must not make it work much
    /// harder than reading it (the slowest input is shown too). The Api's paths also query SQLite for what they
    /// accept, which parsing does not: their ratio is shown without a target.
    /// </summary>
    private static (string What, Func<byte[], int> Parse, double? Target) Floor(string name) => name switch
    {
        "api-query" => ("parsing the query strings (QueryHelpers)", input => QueryHelpers.ParseQuery(Encoding.UTF8.GetString(input)).Count, null),
        "api-ticket-number" => ("decoding the route values (UTF-8)", input => Encoding.UTF8.GetString(input).Length, null),
        _ => ("parsing the same inputs (JsonDocument.Parse)", ParseJson, 0.1),
    };

    private static int ParseJson(byte[] input)
    {
        try
        {
            using var document = JsonDocument.Parse(input);
            return document.RootElement.ValueKind == JsonValueKind.Object ? 1 : 0;
        }
        catch (JsonException)
        {
            return -1;
        }
    }

    /// <summary>A count in the column of <see cref="Figures"/>, with its target when it has one.</summary>
    private static void Counted(string what, long count, long? target = null) =>
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"  {what,-58} {count,14:N0}{(target is { } t ? $"   (target {t}: {(count == t ? "met" : "NOT met")})" : "")}"));

    /// <summary>One path's run: its counts, reasons, times and failures so far.</summary>
    private sealed class PathRun(IFuzzTarget target, (string What, Func<byte[], int> Parse, double? Target) floor)
    {
        private readonly Dictionary<string, long> _reasons = new(StringComparer.Ordinal);
        private readonly Dictionary<string, (long Count, string Example)> _failures = new(StringComparer.Ordinal);
        private long _inputs;
        private long _accepted;
        private long _refused;
        private long _feedTicks;
        private long _floorTicks;
        private long _slowestTicks;
        private long _overSecond;

        public long Failures { get; private set; }

        public void Feed(byte[][] inputs, bool counted)
        {
            var feedTicks = 0L;
            var slowest = 0L;
            foreach (var input in inputs)
            {
                var started = Stopwatch.GetTimestamp();
                var outcome = FuzzInvariant.Feed(target, input);
                var fed = Stopwatch.GetTimestamp();
                var broken = outcome.Verdict == FuzzVerdict.Failed ? $"{target.Name}: {outcome.Detail}" : FuzzInvariant.AfterValid(target);
                var done = Stopwatch.GetTimestamp();
                feedTicks += fed - started;
                slowest = Math.Max(slowest, done - started);
                if (!counted)
                {
                    continue;
                }

                if (done - started > Stopwatch.Frequency)
                {
                    _overSecond++;
                }

                Tally(outcome);
                if (broken is not null)
                {
                    Failures++;
                    var kind = KindOf(broken);
                    _failures[kind] = _failures.TryGetValue(kind, out var seen)
                        ? (seen.Count + 1, seen.Example)
                        : (1, $"{Shorten(broken)}{Environment.NewLine}      input: {Shorten(new FuzzInput(input).ToString())}");
                }
            }

            // The same inputs parsed only, right after, under the same conditions.
            var floorStarted = Stopwatch.GetTimestamp();
            var parsed = 0L;
            foreach (var input in inputs)
            {
                parsed += floor.Parse(input);
            }

            var floorTicks = Stopwatch.GetTimestamp() - floorStarted;
            GC.KeepAlive(parsed);
            if (counted)
            {
                _inputs += inputs.Length;
                _feedTicks += feedTicks;
                _floorTicks += floorTicks;
                _slowestTicks = Math.Max(_slowestTicks, slowest);
            }
        }

        public void Print()
        {
            var rate = _inputs / Seconds(_feedTicks);
            var floorRate = _inputs / Seconds(_floorTicks);
            Console.WriteLine();
            Console.WriteLine($"  {target.Name}");
            Counted("inputs", _inputs);
            Figures.Rate("path", rate, "inputs");
            Figures.Rate($"limit: {floor.What}", floorRate, "inputs");
            if (floor.Target is { } minimum)
            {
                Figures.Ratio("path / parsing only", rate / floorRate, minimum);
            }
            else
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"path / parsing only",-58} {rate / floorRate,14:F3}   (no target: the path also queries the store)"));
            }
            Figures.Value("slowest input with the valid one after it", Seconds(_slowestTicks) * 1000, "ms");
            Figures.Ratio("slowest input / 1 s", Seconds(_slowestTicks), 1.0, higherIsBetter: false);
            Counted("inputs taking over 1 s with the valid one after them", _overSecond, target: 0);
            Counted("accepted (whole or in part)", _accepted);
            Counted("refused", _refused);
            Console.WriteLine("  refused (or refused in part), top reasons:");
            foreach (var (reason, count) in _reasons.OrderByDescending(r => r.Value).ThenBy(r => r.Key, StringComparer.Ordinal).Take(6))
            {
                Counted($"  {reason}", count);
            }

            if (_reasons.Count > 6)
            {
                Counted($"  {_reasons.Count - 6} other reasons", _reasons.OrderByDescending(r => r.Value).Skip(6).Sum(r => r.Value));
            }

            Counted("failures of the invariant", Failures, target: 0);
            foreach (var (kind, (count, example)) in _failures.OrderByDescending(f => f.Value.Count).Take(PrintedFailures))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {count:N0} x {kind}, such as:{Environment.NewLine}    {example}"));
            }
        }

        private void Tally(FuzzOutcome outcome)
        {
            switch (outcome.Verdict)
            {
                case FuzzVerdict.Accepted:
                    _accepted++;
                    break;
                case FuzzVerdict.Refused:
                    _refused++;
                    break;
                default:
                    return;
            }

            if (outcome.Reason is { } reason)
            {
                _reasons[reason] = _reasons.GetValueOrDefault(reason) + 1;
            }
        }

        /// <summary>What kind of failure: the exception thrown, or the broken rule's first words.</summary>
        private static string KindOf(string broken)
        {
            var line = broken.AsSpan(0, broken.IndexOfAny(['\r', '\n']) is var end and >= 0 ? end : broken.Length);
            var threw = line.IndexOf("threw ", StringComparison.Ordinal);
            if (threw >= 0)
            {
                var type = line[(threw + 6)..];
                return $"threw {type[..(type.IndexOf(':') is var colon and >= 0 ? colon : type.Length)]}";
            }

            return line.Length <= 80 ? line.ToString() : line[..80].ToString();
        }

        private static double Seconds(long ticks) => Math.Max(ticks, 1) / (double)Stopwatch.Frequency;

        private static string Shorten(string text) =>
            text.Length <= 600 ? text : string.Create(CultureInfo.InvariantCulture, $"{text.AsSpan(0, 600)}… ({text.Length - 600} more characters)");
    }
}
