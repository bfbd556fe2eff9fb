using Telemetry.Contracts;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Thresholds;
using System.Text.Json;

namespace Telemetry.Rules.Evaluation;

/// <summary>
/// Turns readings, gateway states and gateway events into fault transitions: one <see cref="FaultDetected"/> when a
/// condition has held past its debounce, one <see cref="FaultCleared"/> when it has gone back past its clear level.
/// Pure logic: no transport, no storage. Calls are serialised internally, so a consumer and a timer may share one
/// engine; transitions are appended to the caller's collection only when they happen. Fed untrusted data, it throws on
/// none of it: what it cannot judge (stamped too far ahead, too old to be a replay, from an unknown source past its cap)
/// is refused and counted, and changes nothing.
/// </summary>
public sealed class RuleEngine
{
    private readonly Lock gate = new();
    private readonly Func<ThresholdSnapshot> thresholds;
    private readonly TimeProvider time;
    private readonly RuleEngineLimits limits;
    private readonly SessionTable sessions;

    private readonly RuleSet rules;
    private readonly RuleDispatch dispatch;
    private long skipped;
    private long tooOld;
    private long future;
    private long tooOldEvents;
    private long futureEvents;
    private long refusedSources;

    // Set by every tick: while the consumer is behind, an offline state arriving is not judged either.
    private bool judgingSilence = true;

    /// <summary>
    /// Readings not judged because one as new or newer of the same device or circuit was judged before, by no more
    /// than <see cref="RuleEngineLimits.ReplayWindow"/>: redeliveries and replays.
    /// </summary>
    public long SkippedReadings => Interlocked.Read(ref skipped);

    /// <summary>Readings refused because they are older than the last judged of their device or circuit by more than the replay window.</summary>
    public long TooOldReadings => Interlocked.Read(ref tooOld);

    /// <summary>Readings refused because they are stamped more than <see cref="RuleEngineLimits.MaxFuture"/> ahead of the engine's clock.</summary>
    public long FutureReadings => Interlocked.Read(ref future);

    /// <summary>Battery test and command result events refused because they are older than their device's last judged reading by more than the replay window.</summary>
    public long TooOldEvents => Interlocked.Read(ref tooOldEvents);

    /// <summary>Battery test and command result events refused because they are stamped more than the allowed time ahead of the engine's clock.</summary>
    public long FutureEvents => Interlocked.Read(ref futureEvents);

    /// <summary>
    /// Readings, gateway states and events refused, creating no state, because they come from a gateway no site file
    /// lists past <see cref="RuleEngineLimits.MaxUnknownGateways"/>, or from a device no site file lists past its
    /// gateway's <see cref="RuleEngineLimits.MaxUnknownDevicesPerGateway"/>.
    /// </summary>
    public long RefusedUnknownSources => Interlocked.Read(ref refusedSources);

    /// <param name="plant">The sites as their files describe them.</param>
    /// <param name="thresholds">The thresholds in force, read once per call so that a change applies from the next reading.</param>
    /// <param name="time">The clock; arrival times (device silence, gateway offline) and the future bound come from it.</param>
    /// <param name="limits">The bounds on untrusted input; <see cref="RuleEngineLimits.Default"/> when null.</param>
    /// <param name="rules">The rules to judge with; <see cref="RuleSet.Default"/> when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">A limit is negative.</exception>
    public RuleEngine(PlantDirectory plant, Func<ThresholdSnapshot> thresholds, TimeProvider time, RuleEngineLimits? limits = null, RuleSet? rules = null)
    {
        ArgumentNullException.ThrowIfNull(plant);
        ArgumentNullException.ThrowIfNull(thresholds);
        ArgumentNullException.ThrowIfNull(time);
        limits ??= RuleEngineLimits.Default;
        limits.Check();
        this.thresholds = thresholds;
        this.time = time;
        this.limits = limits;
        this.rules = rules ?? RuleSet.Default;
        dispatch = this.rules.Dispatch;
        sessions = new SessionTable(plant, limits, this.rules);
        sessions.Watch(time.GetUtcNow());
    }

    /// <summary>The rules it judges with.</summary>
    public RuleSet Rules => rules;

    /// <summary>Gateways the engine keeps state for, known or not.</summary>
    internal int GatewaySessions
    {
        get
        {
            lock (gate)
            {
                return sessions.Count;
            }
        }
    }

    /// <summary>Evaluates one batch of readings from a gateway. <paramref name="site"/> and <paramref name="gateway"/> come from the topic.</summary>
    public void OnReadings(string site, string gateway, ReadingBatch batch, ICollection<FaultTransition> output)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(output);
        var readings = batch.Readings;
        if (readings is null || readings.Count == 0)
        {
            return;
        }

        lock (gate)
        {
            if (sessions.Session(site, gateway, out var refused) is not { } session)
            {
                Refused(refused, readings.Count);
                return;
            }

            var snapshot = thresholds();
            var received = time.GetUtcNow();
            var delivered = false;

            // Distinct device ids of an unknown gateway, counted once for its one fault.
            var unknownIds = session.IsKnown ? null : new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < readings.Count; i++)
            {
                if (readings[i] is not { Device: not null } reading)
                {
                    continue;
                }

                // A clock years ahead would otherwise hold LastJudged there and make every real reading a duplicate.
                if (reading.Ts - received > limits.MaxFuture)
                {
                    Interlocked.Increment(ref future);
                    continue;
                }

                delivered = true;
                if (unknownIds is not null && Identifiers.IsValid(reading.Device))
                {
                    unknownIds.Add(reading.Device);
                }

                Evaluate(session, reading, snapshot, received, output);
            }

            if (!delivered)
            {
                return;
            }

            if (session.LastDelivered is null)
            {
                session.RestartSilenceLimits(received);
            }

            session.LastDelivered = received;
            var unknown = unknownIds?.Count ?? 0;
            foreach (var rule in dispatch.Batch)
            {
                rule.OnBatch(session, unknown, received, output);
            }
        }
    }

    /// <summary>A gateway's retained state: offline (its will) starts the grace time, online clears.</summary>
    public void OnGatewayState(string site, string gateway, GatewayState state, ICollection<FaultTransition> output)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(output);
        lock (gate)
        {
            if (sessions.Session(site, gateway, out var refused) is not { } session)
            {
                Refused(refused, 1);
                return;
            }

            var now = time.GetUtcNow();
            var wasOffline = session.IsOffline;
            session.Status = state.State;
            if (wasOffline && state.State == GatewayStatus.Online)
            {
                // Devices could not report while the gateway was away.
                session.RestartSilenceLimits(now);
            }

            session.Resolve(thresholds());
            foreach (var rule in dispatch.GatewayState)
            {
                rule.OnGatewayState(session, state.State, now, judgingSilence, output);
            }
        }
    }

    /// <summary>
    /// A gateway event: battery test results and command results are evaluated, other kinds ignored. Their own time
    /// is the time of the detection or clearing, so it is held to the same bounds as a reading's.
    /// </summary>
    public void OnGatewayEvent(string site, string gateway, GatewayEvent gatewayEvent, ICollection<FaultTransition> output)
    {
        ArgumentNullException.ThrowIfNull(gatewayEvent);
        ArgumentNullException.ThrowIfNull(output);
        if (gatewayEvent.Kind is not { } kind || !dispatch.Events.TryGetValue(kind, out var judges))
        {
            return;
        }

        lock (gate)
        {
            var now = time.GetUtcNow();
            if (gatewayEvent.Ts - now > limits.MaxFuture)
            {
                Interlocked.Increment(ref futureEvents);
                return;
            }

            if (sessions.Session(site, gateway, out var refused) is not { } session)
            {
                Refused(refused, 1);
                return;
            }

            DeviceState? device = null;
            if (gatewayEvent.Device is { } id)
            {
                // An event naming a device that cannot be tracked is not the gateway's own: it goes nowhere.
                device = sessions.Device(session, id, null, now, out var refusedDevice);
                if (device is null)
                {
                    Refused(refusedDevice, 1);
                    return;
                }

                if (device.LastJudged - gatewayEvent.Ts > limits.ReplayWindow)
                {
                    Interlocked.Increment(ref tooOldEvents);
                    return;
                }
            }

            session.Resolve(thresholds());
            device?.Resolve(thresholds());
            foreach (var rule in judges)
            {
                rule.OnEvent(session, device, gatewayEvent, output);
            }
        }
    }

    /// <summary>
    /// Time passing: devices silent, doors open and overrides on past their limits, gateways offline past their grace,
    /// and gateway-offline faults raised to grade 1 when night falls. Call every few seconds.
    /// </summary>
    /// <param name="now">The time to judge at.</param>
    /// <param name="output">Where transitions are appended.</param>
    /// <param name="judgeSilence">
    /// False while the caller is behind the stream: silence and offline are then not judged at all, since what has not
    /// been heard may be waiting in the backlog (a stalled Rules would otherwise find the whole plant silent). Doors
    /// and overrides are still judged, and nothing already active is cleared; judging resumes with the next tick
    /// passing true. Until then an offline state arriving only starts its grace time.
    /// </param>
    public void Tick(DateTimeOffset now, ICollection<FaultTransition> output, bool judgeSilence = true)
    {
        ArgumentNullException.ThrowIfNull(output);
        lock (gate)
        {
            judgingSilence = judgeSilence;
            var snapshot = thresholds();
            foreach (var session in sessions.All)
            {
                session.Resolve(snapshot);
                foreach (var rule in dispatch.GatewayTick)
                {
                    if (judgeSilence || !rule.JudgesAbsence)
                    {
                        rule.OnGatewayTick(session, now, output);
                    }
                }

                foreach (var device in session.Devices.Values)
                {
                    device.Resolve(snapshot);
                    foreach (var rule in dispatch.Tick(device.Family))
                    {
                        if (judgeSilence || !rule.JudgesAbsence)
                        {
                            rule.OnDeviceTick(device, now, output);
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// At start: the conditions that have an open ticket. Each rule's state is set to what the tickets say, so that a
    /// restart neither reports an open condition again nor forgets to clear it, and a condition whose ticket was
    /// closed meanwhile is judged afresh.
    /// </summary>
    public void RestoreActive(IEnumerable<(AssetRef Asset, FaultType Fault)> active)
    {
        ArgumentNullException.ThrowIfNull(active);
        lock (gate)
        {
            var now = time.GetUtcNow();
            var open = new HashSet<(AssetRef, FaultType)>();
            foreach (var (asset, fault) in active)
            {
                if (asset is null || fault is null || rules.RuleOf(fault) is not { } rule)
                {
                    continue;
                }

                open.Add((asset, fault));

                // A condition with a ticket needs its state, whether or not the saved state had one.
                if (Owner(rule, asset, now) is { } owner)
                {
                    StatesOf(owner)[rule.Slot] ??= rule.NewState();
                }
            }

            bool IsOpen(AssetRef asset, FaultType fault) => open.Contains((asset, fault));
            foreach (var (rule, owner, state) in States())
            {
                rule.Reconcile(state, owner, IsOpen, now);
            }
        }
    }

    /// <summary>What every rule has learned and is counting (baselines, debounce runs, conditions held since), to save before a restart.</summary>
    public RuleEngineState ExportState()
    {
        lock (gate)
        {
            var saved = new List<RuleStateRecord>();
            foreach (var (rule, owner, state) in States())
            {
                if (rule.Export(state) is { } json)
                {
                    saved.Add(new RuleStateRecord(rule.Name, owner.Asset.Key, json));
                }
            }

            return new RuleEngineState(RuleEngineState.CurrentVersion, saved);
        }
    }

    /// <summary>
    /// Takes back what <see cref="ExportState"/> saved. Entries of a rule not in the set, naming an asset that cannot
    /// be read or tracked, or whose state cannot be read are skipped; their number is returned.
    /// </summary>
    public int ImportState(RuleEngineState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        lock (gate)
        {
            var now = time.GetUtcNow();
            var skippedEntries = 0;
            foreach (var record in state.States ?? [])
            {
                if (record is null || rules.Find(record.Rule) is not { } rule || AssetRef.TryParse(record.Asset) is not { } asset
                    || Owner(rule, asset, now) is not { } owner || rule.Import(record.State) is not { } restored)
                {
                    skippedEntries++;
                    continue;
                }

                StatesOf(owner)[rule.Slot] = restored;
            }

            foreach (var (rule, owner, restored) in States().ToList())
            {
                // A saved state brings back what the engine shares between rules (a gateway's status).
                rule.Imported(restored, owner);
            }

            return skippedEntries;
        }
    }

    /// <summary>Site files reloaded: devices keep their state, take their new description, and new devices are watched.</summary>
    public void ReplacePlant(PlantDirectory plant)
    {
        ArgumentNullException.ThrowIfNull(plant);
        lock (gate)
        {
            sessions.Replace(plant, time.GetUtcNow());
        }
    }

    private void Evaluate(GatewaySession session, Reading reading, ThresholdSnapshot snapshot, DateTimeOffset received, ICollection<FaultTransition> output)
    {
        if (!session.Devices.TryGetValue(reading.Device, out var device))
        {
            device = sessions.Device(session, reading.Device, reading.Family, received, out var refused);
            if (device is null)
            {
                Refused(refused, 1);
                return;
            }
        }

        // On a gateway no file lists, the gateway's one fault speaks for its unknown devices.
        if (session.IsKnown)
        {
            foreach (var rule in dispatch.Delivered)
            {
                rule.OnDelivered(device, reading, output);
            }
        }

        // Unknown devices' readings are not otherwise judged: nothing says what they have or who looks after them.
        // An error reading says the device could not be read; a stale one carries values the device knows are old.
        // Neither moves a condition, and neither is news of the device for silence.
        if (device.Plant is null || reading.Quality != ReadingQuality.Good || reading.Values is not { } values)
        {
            return;
        }

        // At-least-once delivery and the gateways' replay after an outage bring readings twice or late: each
        // device (and circuit) is judged in reading-time order, and what is not newer than the last judged is skipped.
        var at = reading.Ts;
        var circuit = reading.Circuit is { } circuitName ? device.Circuit(circuitName) : null;
        if (reading.Circuit is not null)
        {
            if (circuit is null)
            {
                return;
            }

            if (at <= circuit.LastJudged)
            {
                NotJudged(circuit.LastJudged, at);
                return;
            }

            circuit.LastJudged = at;
        }
        else
        {
            if (at <= device.LastJudged)
            {
                NotJudged(device.LastJudged, at);
                return;
            }

            device.LastJudged = at;
        }

        device.LastGood = received;
        device.Resolve(snapshot);
        foreach (var rule in dispatch.Heard)
        {
            rule.OnHeard(device, at, output);
        }

        var family = device.Family;
        if (circuit is not null)
        {
            EvaluateCircuit(circuit, family, values, at, output);
            return;
        }

        if (family is DeviceFamily.HighMast or DeviceFamily.StreetController
            && ReadingValues.TryFlag(values, PointNames.SupplyPresent, out var supply))
        {
            device.SupplyPresent = supply;
        }

        foreach (var rule in dispatch.Reading(family))
        {
            rule.OnReading(device, values, at, output);
        }

        // A high mast is one lighting circuit, and single-output controllers report their output with the device.
        if (family is DeviceFamily.HighMast or DeviceFamily.LightTimeController)
        {
            EvaluateCircuit(device.Whole, family, values, at, output);
        }
    }

    private void EvaluateCircuit(CircuitState circuit, DeviceFamily family, IReadOnlyDictionary<string, ReadingValue> values, DateTimeOffset at, ICollection<FaultTransition> output)
    {
        var judges = dispatch.Circuit(family);
        if (judges.Length == 0)
        {
            return;
        }

        var sample = LightingSample.From(values, family);
        foreach (var rule in judges)
        {
            rule.OnCircuit(circuit, sample, at, output);
        }
    }

    /// <summary>Counts a reading not newer than the last judged: a duplicate within the replay window, else too old.</summary>
    private void NotJudged(DateTimeOffset lastJudged, DateTimeOffset at)
    {
        // A gateway replays its buffer after an outage and the broker redelivers; beyond the window it is no replay
        // this service should have to take, and a count of its own tells a stuck buffer or a clock set back.
        if (lastJudged - at > limits.ReplayWindow)
        {
            Interlocked.Increment(ref tooOld);
        }
        else
        {
            Interlocked.Increment(ref skipped);
        }
    }

    private void Refused(bool refused, int inputs)
    {
        if (refused)
        {
            Interlocked.Add(ref refusedSources, inputs);
        }
    }

    /// <summary>
    /// Where <paramref name="rule"/> keeps the state of <paramref name="asset"/>: a circuit rule on the circuit (the
    /// device's whole circuit for the device itself), a device rule on the device (a circuit of it being one of the
    /// device's own conditions, as a box's outgoing breaker), a gateway rule on the gateway. Null when the asset is of no
    /// such kind or cannot be tracked.
    /// </summary>
    private AssetOwner? Owner(Rule rule, AssetRef asset, DateTimeOffset now)
    {
        if (sessions.Session(asset.Site, asset.Gateway, out _) is not { } session)
        {
            return null;
        }

        if (asset.Device is not { } id)
        {
            return (rule.Scope & RuleScope.Gateway) != 0 ? new AssetOwner(session, null, null) : null;
        }

        if ((rule.Scope & (RuleScope.Device | RuleScope.Circuit)) == 0 || sessions.Device(session, id, null, now, out _) is not { } device)
        {
            return null;
        }

        if ((rule.Scope & RuleScope.Circuit) != 0)
        {
            return (asset.Circuit is { } name ? device.Circuit(name) : device.Whole) is { } circuit ? new AssetOwner(session, device, circuit) : null;
        }

        return new AssetOwner(session, device, null);
    }

    private static object?[] StatesOf(AssetOwner owner) => owner.Circuit?.RuleStates ?? owner.Device?.RuleStates ?? owner.Session.RuleStates;

    /// <summary>Every state any rule keeps, with its rule and its asset.</summary>
    private IEnumerable<(Rule Rule, AssetOwner Owner, object State)> States()
    {
        var all = rules.All;
        foreach (var session in sessions.All)
        {
            foreach (var item in Of(session.RuleStates, new AssetOwner(session, null, null)))
            {
                yield return item;
            }

            foreach (var device in session.Devices.Values)
            {
                foreach (var item in Of(device.RuleStates, new AssetOwner(session, device, null)))
                {
                    yield return item;
                }

                foreach (var circuit in device.Circuits())
                {
                    foreach (var item in Of(circuit.RuleStates, new AssetOwner(session, device, circuit)))
                    {
                        yield return item;
                    }
                }
            }
        }

        IEnumerable<(Rule, AssetOwner, object)> Of(object?[] states, AssetOwner owner)
        {
            for (var slot = 0; slot < states.Length; slot++)
            {
                if (states[slot] is { } state)
                {
                    yield return (all[slot], owner, state);
                }
            }
        }
    }
}
