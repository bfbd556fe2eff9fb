using System.Diagnostics;
using System.Text.Json;

namespace Telemetry.Bench;

/// <summary>
/// Follows, from InfluxDB's own counters (<c>/debug/vars</c>, points asked to be written) and its CPU time, how a
/// stream goes into it, so that the raw writer and the pipeline are timed the same way by the same witness: the
/// sustained rate is that of the middle of the stream, between a tenth and nine tenths of its points, where
/// neither the start nor the tail of a run weighs.
/// </summary>
internal sealed class InfluxProgress : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);
    private readonly HttpClient _http = new();
    private readonly Uri _vars;
    private readonly int? _processId;
    private readonly List<Sample> _samples = [];
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private readonly long _startTimestamp = Stopwatch.GetTimestamp();

    private InfluxProgress(Uri influx, int? processId)
    {
        _vars = new Uri(influx, "debug/vars");
        _processId = processId;
    }

    /// <summary>Starts following; the first sample, taken before this returns, is the baseline the stream's points are counted from.</summary>
    public static async Task<InfluxProgress> StartAsync(Uri influx, int? processId)
    {
        var progress = new InfluxProgress(influx, processId);
        await progress.SampleAsync(CancellationToken.None);
        progress._loop = progress.LoopAsync();
        return progress;
    }

    /// <summary>Stops following and tells how the stream of <paramref name="points"/> points went in.</summary>
    public async Task<Window> StopAsync(long points)
    {
        await _stop.CancelAsync();
        await _loop;
        await SampleAsync(CancellationToken.None);
        Sample[] samples;
        lock (_samples)
        {
            samples = [.. _samples];
        }

        var baseline = samples[0].Points;
        var (from, fromCpu) = Crossing(samples, baseline + (points / 10));
        var (to, toCpu) = Crossing(samples, baseline + (points * 9 / 10));
        var seconds = (to - from).TotalSeconds;
        return new Window(points * 8 / 10 / seconds, (toCpu - fromCpu).TotalSeconds / seconds);
    }

    /// <summary>When the count passed <paramref name="target"/>, and the CPU used then, both interpolated between samples.</summary>
    private static (TimeSpan At, TimeSpan Cpu) Crossing(Sample[] samples, long target)
    {
        for (var i = 1; i < samples.Length; i++)
        {
            if (samples[i].Points >= target)
            {
                var (a, b) = (samples[i - 1], samples[i]);
                var share = b.Points == a.Points ? 1 : (double)(target - a.Points) / (b.Points - a.Points);
                return (a.At + ((b.At - a.At) * share), a.Cpu + ((b.Cpu - a.Cpu) * share));
            }
        }

        throw new InvalidOperationException($"InfluxDB never counted {target:N0} points asked to be written");
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Interval, _stop.Token);
                await SampleAsync(_stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task SampleAsync(CancellationToken cancellationToken)
    {
        await using var body = await _http.GetStreamAsync(_vars, cancellationToken);
        using var vars = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
        var points = vars.RootElement.GetProperty("write").GetProperty("values").GetProperty("pointReq").GetInt64();
        var sample = new Sample(Stopwatch.GetElapsedTime(_startTimestamp), points, ProcessCpu.Used(_processId));
        lock (_samples)
        {
            _samples.Add(sample);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
        _http.Dispose();
    }

    /// <summary>Points per second over the middle of the stream, and the share of one core InfluxDB used meanwhile.</summary>
    public sealed record Window(double PointsPerSecond, double Busy);

    private sealed record Sample(TimeSpan At, long Points, TimeSpan Cpu);
}
