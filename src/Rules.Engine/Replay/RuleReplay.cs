using Telemetry.Contracts;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Thresholds;

using Telemetry.Rules.Evaluation;

namespace Telemetry.Rules.Replay;

/// <summary>Something a gateway sent, taken from storage to be judged again, stamped with when it happened.</summary>
/// <param name="Site">The site, as in the topic.</param>
/// <param name="Gateway">The gateway, as in the topic.</param>
/// <param name="At">When it happened: a batch's newest reading, a state's change, an event's time.</param>
public abstract record ReplayInput(string Site, string Gateway, DateTimeOffset At);

/// <summary>A batch of stored readings.</summary>
public sealed record ReplayedReadings(string Site, string Gateway, ReadingBatch Batch)
    : ReplayInput(Site, Gateway, Batch.Readings is { Count: > 0 } readings ? readings.Max(r => r?.Ts ?? DateTimeOffset.MinValue) : DateTimeOffset.MinValue);

/// <summary>A gateway's state as it changed at <paramref name="At"/>.</summary>
public sealed record ReplayedState(string Site, string Gateway, DateTimeOffset At, GatewayState State) : ReplayInput(Site, Gateway, At);

/// <summary>A stored gateway event.</summary>
public sealed record ReplayedEvent(string Site, string Gateway, GatewayEvent Event) : ReplayInput(Site, Gateway, Event.Ts);

/// <summary>
/// Judges a stored range with the same engine and rules as live, for a backtest ("what would these thresholds have
/// opened?"): time is the inputs' own, not the wall clock (arrival is taken as the reading's time, and time passes in
/// ticks between inputs, so silence, doors and offline are judged as they would have been), and nothing is written
/// anywhere. The result is the transitions the engine concluded, in order.
/// </summary>
public sealed class RuleReplay
{
    private readonly PlantDirectory plant;
    private readonly ThresholdSnapshot thresholds;
    private readonly RuleSet rules;
    private readonly TimeSpan tick;

    /// <param name="plant">The sites as their files describe them.</param>
    /// <param name="thresholds">The thresholds to judge with (those in force, or a proposed change).</param>
    /// <param name="rules">The rules; <see cref="RuleSet.Default"/> when null.</param>
    /// <param name="tick">How often time passes between inputs (the live service ticks every few seconds); 10 s when null.</param>
    public RuleReplay(PlantDirectory plant, ThresholdSnapshot thresholds, RuleSet? rules = null, TimeSpan? tick = null)
    {
        ArgumentNullException.ThrowIfNull(plant);
        ArgumentNullException.ThrowIfNull(thresholds);
        this.plant = plant;
        this.thresholds = thresholds;
        this.rules = rules ?? RuleSet.Default;
        this.tick = tick ?? TimeSpan.FromSeconds(10);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(this.tick, TimeSpan.Zero, nameof(tick));
    }

    /// <summary>Judges <paramref name="inputs"/>, in time order (an input older than the one before is judged at the later time).</summary>
    /// <param name="inputs">What the gateways sent.</param>
    /// <param name="until">Time passes on to here after the last input (a door still open at the end of the range); the last input's time when null.</param>
    /// <param name="cancellationToken">Stops a long replay between inputs.</param>
    public IReadOnlyList<FaultTransition> Run(IEnumerable<ReplayInput> inputs, DateTimeOffset? until = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var pass = new Pass(this);
        foreach (var input in inputs)
        {
            cancellationToken.ThrowIfCancellationRequested();
            pass.Feed(input);
        }

        return pass.Finish(until);
    }

    /// <summary>Judges a range read from storage as it streams in (see <see cref="StoredHistory"/>).</summary>
    /// <inheritdoc cref="Run" path="/param"/>
    public async Task<IReadOnlyList<FaultTransition>> RunAsync(IAsyncEnumerable<ReplayInput> inputs, DateTimeOffset? until = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var pass = new Pass(this);
        await foreach (var input in inputs.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            pass.Feed(input);
        }

        return pass.Finish(until);
    }

    /// <summary>One replay: an engine of its own on a clock of its own, created at the first input's time.</summary>
    private sealed class Pass(RuleReplay replay)
    {
        private readonly List<FaultTransition> output = [];
        private ReplayClock? clock;
        private RuleEngine? engine;
        private DateTimeOffset nextTick;

        public void Feed(ReplayInput? input)
        {
            if (input is null || input.At == DateTimeOffset.MinValue)
            {
                return;
            }

            if (clock is null || engine is null)
            {
                clock = new ReplayClock(input.At);
                engine = new RuleEngine(replay.plant, () => replay.thresholds, clock, RuleEngineLimits.Default, replay.rules);
                nextTick = input.At + replay.tick;
            }

            PassTime(input.At);
            clock.Now = input.At > clock.Now ? input.At : clock.Now;
            switch (input)
            {
                case ReplayedReadings readings:
                    engine.OnReadings(input.Site, input.Gateway, readings.Batch, output);
                    break;
                case ReplayedState state:
                    engine.OnGatewayState(input.Site, input.Gateway, state.State, output);
                    break;
                case ReplayedEvent gatewayEvent:
                    engine.OnGatewayEvent(input.Site, input.Gateway, gatewayEvent.Event, output);
                    break;
            }
        }

        public IReadOnlyList<FaultTransition> Finish(DateTimeOffset? until)
        {
            if (until is { } end)
            {
                PassTime(end);
            }

            return output;
        }

        /// <summary>Ticks the engine at every tick time up to <paramref name="to"/>.</summary>
        private void PassTime(DateTimeOffset to)
        {
            if (clock is null || engine is null)
            {
                return;
            }

            while (nextTick <= to)
            {
                if (nextTick > clock.Now)
                {
                    clock.Now = nextTick;
                }

                // The stored range is complete: absence is judged, as by a live service keeping up.
                engine.Tick(nextTick, output, judgeSilence: true);
                nextTick += replay.tick;
            }
        }
    }

    /// <summary>The replay's time: set by the replay as it goes, never the wall clock.</summary>
    private sealed class ReplayClock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
