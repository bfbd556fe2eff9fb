using Telemetry.Contracts;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Thresholds;
using Telemetry.Rules.Catalogue;

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

    private readonly LampOutageRule lampOutage = new();
    private readonly CableTheftRule cableTheft = new();
    private readonly DayBurningRule dayBurning = new();
    private readonly InsulationBelowLimit insulation = new();
    private readonly LeakageAboveLimit leakage = new();
    private readonly EarthResistanceAboveLimit earth = new();
    private readonly ClockDriftRule clockDrift = new();
    private readonly DoorOpenRule doorOpen = new();
    private readonly ManualOverrideRule manualOverride = new();
    private readonly DeviceSilenceRule deviceSilence = new();
    private readonly GatewayOfflineRule gatewayOffline = new();
    private readonly UnknownDeviceRule unknownDevice = new();
    private readonly BatteryTestFailedRule batteryTest = new();
    private readonly ConfigurationRejectedRule configurationRejected = new();
    private readonly LiftFaultRule liftFault = new();
    private readonly LampRingLoweredRule lampRing = new();
    private readonly BreakerTrippedRule breakerTripped = new();
    private readonly SurgeProtectorSpentRule surgeProtector = new();
    private readonly PhaseLostRule phaseLost = new();
    private readonly MainsLostRule mainsLost = new();
    private readonly ChargerFaultRule chargerFault = new();
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
    /// <exception cref="ArgumentOutOfRangeException">A limit is negative.</exception>
    public RuleEngine(PlantDirectory plant, Func<ThresholdSnapshot> thresholds, TimeProvider time, RuleEngineLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(plant);
        ArgumentNullException.ThrowIfNull(thresholds);
        ArgumentNullException.ThrowIfNull(time);
        limits ??= RuleEngineLimits.Default;
        limits.Check();
        this.thresholds = thresholds;
        this.time = time;
        this.limits = limits;
        sessions = new SessionTable(plant, limits);
        sessions.Watch(time.GetUtcNow());
    }

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
            var unknownIds = session.IsKnown || session.UnknownReported ? null : new HashSet<string>(StringComparer.Ordinal);
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
            if (unknownIds is { Count: > 0 })
            {
                unknownDevice.EvaluateGateway(session, unknownIds.Count, received, output);
            }
            else if (session.UnknownReported)
            {
                unknownDevice.KnownGateway(session, received, output);
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
            gatewayOffline.OnState(session, state.State, now, output);
            if (judgingSilence)
            {
                gatewayOffline.Check(session, now, session.Thresholds(thresholds()), output);
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
        if (gatewayEvent.Kind is not (BatteryTestFailedRule.EventKind or ConfigurationRejectedRule.EventKind))
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

            switch (gatewayEvent.Kind)
            {
                case BatteryTestFailedRule.EventKind when device is not null:
                    batteryTest.OnEvent(device, gatewayEvent, output);
                    break;
                case ConfigurationRejectedRule.EventKind:
                    configurationRejected.OnEvent(session, device, gatewayEvent, output);
                    break;
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
                if (judgeSilence)
                {
                    gatewayOffline.Check(session, now, session.Thresholds(snapshot), output);
                }

                foreach (var device in session.Devices.Values)
                {
                    device.Resolve(snapshot);

                    // A device is watched for silence by the gateway its file puts it on, not by one it strayed to.
                    if (judgeSilence && device.Plant?.Gateway.Id == session.Id)
                    {
                        deviceSilence.Check(device, now, output);
                    }

                    doorOpen.Check(device, now, output);
                    manualOverride.Check(device, now, output);
                }
            }
        }
    }

    /// <summary>
    /// At start: the conditions that have an open ticket with the condition still active, so that a restart neither
    /// reports them again nor forgets to clear them.
    /// </summary>
    public void RestoreActive(IEnumerable<(AssetRef Asset, FaultType Fault)> active)
    {
        ArgumentNullException.ThrowIfNull(active);
        lock (gate)
        {
            var now = time.GetUtcNow();
            foreach (var (asset, fault) in active)
            {
                Restore(asset, fault, now);
            }
        }
    }

    /// <summary>The learned state (baselines, conditions counting towards a limit), to save before a restart.</summary>
    public RuleEngineState ExportState()
    {
        lock (gate)
        {
            var baselines = new List<CircuitBaselineState>();
            var pending = new List<PendingConditionState>();
            foreach (var session in sessions.All)
            {
                if (session.OfflineSince is { } offline)
                {
                    pending.Add(new PendingConditionState(session.Asset.Key, FaultType.GatewayOffline.ToName(), offline));
                }

                foreach (var device in session.Devices.Values)
                {
                    if (device.DoorOpen.Since is { } door)
                    {
                        pending.Add(new PendingConditionState(device.Asset.Key, FaultType.DoorOpen.ToName(), door));
                    }

                    if (device.ManualOverride.Since is { } manual)
                    {
                        pending.Add(new PendingConditionState(device.Asset.Key, FaultType.ManualOverrideLeftOn.ToName(), manual));
                    }

                    if (device.LampRingLowered.Since is { } lowered)
                    {
                        pending.Add(new PendingConditionState(device.Asset.Key, FaultType.LampRingLowered.ToName(), lowered));
                    }

                    foreach (var circuit in device.Circuits())
                    {
                        if (circuit.Baseline.Count > 0)
                        {
                            baselines.Add(new CircuitBaselineState(circuit.Asset.Key, circuit.Baseline.Count, circuit.Baseline.Mean));
                        }
                    }
                }
            }

            return new RuleEngineState(RuleEngineState.CurrentVersion, baselines, pending);
        }
    }

    /// <summary>Takes back what <see cref="ExportState"/> saved. Entries naming assets that cannot be read are skipped.</summary>
    public void ImportState(RuleEngineState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        lock (gate)
        {
            var now = time.GetUtcNow();
            foreach (var baseline in state.Baselines ?? [])
            {
                if (AssetRef.TryParse(baseline.Asset) is { Device: not null } asset && double.IsFinite(baseline.MeanA)
                    && Circuit(asset, now) is { } circuit)
                {
                    circuit.Baseline.Restore(baseline.Readings, baseline.MeanA);
                }
            }

            foreach (var pending in state.Pending ?? [])
            {
                if (AssetRef.TryParse(pending.Asset) is not { } asset || !FaultTypes.TryParse(pending.Fault, out var fault))
                {
                    continue;
                }

                switch (fault)
                {
                    case FaultType.GatewayOffline when asset.Device is null && sessions.Session(asset.Site, asset.Gateway, out _) is { } session:
                        session.OfflineSince = session.Status == GatewayStatus.Online ? null : pending.Since;
                        session.Status ??= GatewayStatus.Offline;
                        break;
                    case FaultType.DoorOpen when asset is { Device: not null, Circuit: null }:
                        DeviceOf(asset, now)?.DoorOpen.RestoreSince(pending.Since);
                        break;
                    case FaultType.ManualOverrideLeftOn when asset is { Device: not null, Circuit: null }:
                        DeviceOf(asset, now)?.ManualOverride.RestoreSince(pending.Since);
                        break;
                    case FaultType.LampRingLowered when asset is { Device: not null, Circuit: null }:
                        DeviceOf(asset, now)?.LampRingLowered.RestoreSince(pending.Since);
                        break;
                }
            }
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

        if (device.Plant is null)
        {
            // On a gateway no file lists, the gateway's one fault speaks for its unknown devices.
            if (session.IsKnown)
            {
                unknownDevice.Evaluate(device, reading, output);
            }

            return;
        }

        if (device.UnknownReported)
        {
            unknownDevice.Known(device, reading.Ts, output);
        }

        // An error reading says the device could not be read; a stale one carries values the device knows are old.
        // Neither moves a condition, and neither is news of the device for silence.
        if (reading.Quality != ReadingQuality.Good || reading.Values is not { } values)
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

        deviceSilence.Heard(device, received, reading.Ts, output);
        device.Resolve(snapshot);
        if (circuit is not null)
        {
            EvaluateCircuit(circuit, values, at, output);
            return;
        }

        if (device.Family is DeviceFamily.HighMast or DeviceFamily.StreetController
            && ReadingValues.TryFlag(values, PointNames.SupplyPresent, out var supply))
        {
            device.SupplyPresent = supply;
        }

        switch (device.Family)
        {
            case DeviceFamily.HighMast:
                doorOpen.Evaluate(device, values, at, output);
                liftFault.Evaluate(device, values, at, output);
                lampRing.Evaluate(device, values, at, output);

                // Masts and poles are earthed too: judged whenever a reading carries the value (no profile of these
                // families reads it yet).
                earth.Evaluate(device, values, at, output);
                EvaluateCircuit(device.Whole, values, at, output);
                break;
            case DeviceFamily.StreetController:
                doorOpen.Evaluate(device, values, at, output);
                manualOverride.Evaluate(device, values, at, output);
                earth.Evaluate(device, values, at, output);
                break;
            case DeviceFamily.DistributionBox:
                doorOpen.Evaluate(device, values, at, output);
                insulation.Evaluate(device, values, at, output);
                leakage.Evaluate(device, values, at, output);
                earth.Evaluate(device, values, at, output);
                breakerTripped.Evaluate(device, values, at, output);
                surgeProtector.Evaluate(device, values, at, output);
                phaseLost.Evaluate(device, values, at, output);
                break;
            case DeviceFamily.EmergencyBattery:
                batteryTest.OnReading(device, values, at, output);
                mainsLost.Evaluate(device, values, at, output);
                chargerFault.Evaluate(device, values, at, output);
                break;
            case DeviceFamily.LightTimeController:
                clockDrift.Evaluate(device, values, at, output);

                // Single-output controllers report their output with the device rather than per circuit.
                EvaluateCircuit(device.Whole, values, at, output);
                break;
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

    private void EvaluateCircuit(CircuitState circuit, IReadOnlyDictionary<string, ReadingValue> values, DateTimeOffset at, ICollection<FaultTransition> output)
    {
        var sample = LightingSample.From(values, circuit.Device.Family);
        if (circuit.Device.Family != DeviceFamily.LightTimeController)
        {
            // Lamps first: theft learns only from readings the lamp rule has seen healthy.
            lampOutage.Evaluate(circuit, sample, at, output);
            cableTheft.Evaluate(circuit, sample, at, output);
        }

        dayBurning.Evaluate(circuit, sample, at, output);
    }

    private void Restore(AssetRef asset, FaultType fault, DateTimeOffset now)
    {
        if (asset.Device is null)
        {
            if (sessions.Session(asset.Site, asset.Gateway, out _) is not { } session)
            {
                return;
            }

            switch (fault)
            {
                case FaultType.UnknownDevice:
                    session.UnknownReported = true;
                    break;
                case FaultType.GatewayOffline:
                    session.OfflineActive = true;
                    session.OfflineGrade = GatewayOfflineRule.GradeAt(session, now);
                    break;
                case FaultType.ConfigurationRejected:
                    session.ConfigurationRejected = true;
                    break;
            }

            return;
        }

        // A box's outgoing breaker is on its outgoing circuit, which is no lighting circuit.
        if (fault == FaultType.BreakerTripped)
        {
            if (DeviceOf(asset, now) is { } box)
            {
                BreakerTrippedRule.Restore(box, asset, now);
            }

            return;
        }

        if (asset.Circuit is not null || LampClassTracker.ClassOf(fault) is not null || fault is FaultType.CableTheft or FaultType.DayBurning)
        {
            if (Circuit(asset, now) is not { } circuit)
            {
                return;
            }

            if (LampClassTracker.ClassOf(fault) is { } lampClass)
            {
                circuit.Lamps.Restore(lampClass);
            }
            else if (fault == FaultType.CableTheft)
            {
                circuit.CableTheft = true;
            }
            else if (fault == FaultType.DayBurning)
            {
                circuit.DayBurning.Restore();
            }

            return;
        }

        if (DeviceOf(asset, now) is not { } device)
        {
            return;
        }

        switch (fault)
        {
            case FaultType.LowInsulation: device.LowInsulation.Restore(); break;
            case FaultType.HighLeakage: device.HighLeakage.Restore(); break;
            case FaultType.HighEarthResistance: device.HighEarthResistance.Restore(); break;
            case FaultType.ClockDrift: device.ClockDrift.Restore(); break;
            case FaultType.DoorOpen: device.DoorOpen.Restore(); break;
            case FaultType.ManualOverrideLeftOn: device.ManualOverride.Restore(); break;
            case FaultType.DeviceSilent: device.Silent = true; break;
            case FaultType.UnknownDevice: device.UnknownReported = true; break;
            case FaultType.FailedDischarge: device.FailedDischarge = true; break;
            case FaultType.FailedFunctionTest: device.FailedFunctionTest = true; break;
            case FaultType.ConfigurationRejected: device.ConfigurationRejected = true; break;
            case FaultType.LiftFault: device.LiftFault.Restore(); break;
            case FaultType.LampRingLowered: device.LampRingLowered.Restore(); break;
            case FaultType.SurgeProtectorSpent: device.SurgeProtectorSpent.Restore(); break;
            case FaultType.PhaseLost:
                device.PhaseLost.Restore();

                // The ticket's grade is not known here. Taken as 2, a grade-1 ticket may count one more occurrence at
                // the first reading; taken as 1, a grade-2 ticket could never be raised.
                device.PhaseLostGrade = FaultType.PhaseLost.DefaultGrade();
                break;
            case FaultType.MainsLost: device.MainsLost.Restore(); break;
            case FaultType.ChargerFault: device.ChargerFault.Restore(); break;
        }
    }

    private DeviceState? DeviceOf(AssetRef asset, DateTimeOffset now) =>
        asset.Device is { } id && sessions.Session(asset.Site, asset.Gateway, out _) is { } session ? sessions.Device(session, id, null, now, out _) : null;

    private CircuitState? Circuit(AssetRef asset, DateTimeOffset now) =>
        DeviceOf(asset, now) is not { } device ? null
        : asset.Circuit is { } circuit ? device.Circuit(circuit)
        : device.Whole;
}
