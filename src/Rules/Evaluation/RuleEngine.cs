using Telemetry.Contracts;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Thresholds;
using Telemetry.Rules.Catalogue;

namespace Telemetry.Rules.Evaluation;

/// <summary>
/// Turns readings, gateway states and gateway events into fault transitions: one <see cref="FaultDetected"/> when a
/// condition has held past its debounce, one <see cref="FaultCleared"/> when it has gone back past its clear level.
/// Pure logic: no transport, no storage. Calls are serialised internally, so a consumer and a timer may share one
/// engine; transitions are appended to the caller's collection only when they happen.
/// </summary>
public sealed class RuleEngine
{
    private readonly Lock gate = new();
    private readonly Func<ThresholdSnapshot> thresholds;
    private readonly TimeProvider time;
    private readonly Dictionary<(string Site, string Gateway), GatewaySession> sessions = [];
    private readonly Dictionary<string, SiteDaylight> daylight = new(StringComparer.Ordinal);

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
    private long skipped;

    private PlantDirectory plant;
    private GatewaySession? lastSession;

    /// <summary>Readings not judged because one as new or newer of the same device or circuit was judged before.</summary>
    public long SkippedReadings => Interlocked.Read(ref skipped);

    /// <param name="plant">The sites as their files describe them.</param>
    /// <param name="thresholds">The thresholds in force, read once per call so that a change applies from the next reading.</param>
    /// <param name="time">The clock; arrival times (device silence, gateway offline) come from it.</param>
    public RuleEngine(PlantDirectory plant, Func<ThresholdSnapshot> thresholds, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(plant);
        ArgumentNullException.ThrowIfNull(thresholds);
        ArgumentNullException.ThrowIfNull(time);
        this.plant = plant;
        this.thresholds = thresholds;
        this.time = time;
        Watch(plant, time.GetUtcNow());
    }

    /// <summary>Evaluates one batch of readings from a gateway. <paramref name="site"/> and <paramref name="gateway"/> come from the topic.</summary>
    public void OnReadings(string site, string gateway, ReadingBatch batch, ICollection<FaultTransition> output)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(output);
        lock (gate)
        {
            if (Session(site, gateway) is not { } session)
            {
                return;
            }

            var snapshot = thresholds();
            var received = time.GetUtcNow();
            var readings = batch.Readings;
            for (var i = 0; i < readings.Count; i++)
            {
                Evaluate(session, readings[i], snapshot, received, output);
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
            if (Session(site, gateway) is { } session)
            {
                gatewayOffline.OnState(session, state.State, time.GetUtcNow(), session.Thresholds(thresholds()), output);
            }
        }
    }

    /// <summary>A gateway event: battery test results and command results are evaluated, other kinds ignored.</summary>
    public void OnGatewayEvent(string site, string gateway, GatewayEvent gatewayEvent, ICollection<FaultTransition> output)
    {
        ArgumentNullException.ThrowIfNull(gatewayEvent);
        ArgumentNullException.ThrowIfNull(output);
        lock (gate)
        {
            if (Session(site, gateway) is not { } session)
            {
                return;
            }

            var device = gatewayEvent.Device is { } id ? Device(session, id, null, time.GetUtcNow()) : null;
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
    public void Tick(DateTimeOffset now, ICollection<FaultTransition> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        lock (gate)
        {
            var snapshot = thresholds();
            foreach (var session in sessions.Values)
            {
                gatewayOffline.Check(session, now, session.Thresholds(snapshot), output);
                foreach (var device in session.Devices.Values)
                {
                    device.Resolve(snapshot);

                    // A device is watched for silence by the gateway its file puts it on, not by one it strayed to.
                    if (device.Plant?.Gateway.Id == session.Id)
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
            foreach (var session in sessions.Values)
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
                    case FaultType.GatewayOffline when asset.Device is null && Session(asset.Site, asset.Gateway) is { } session:
                        session.OfflineSince = session.Status == GatewayStatus.Online ? null : pending.Since;
                        session.Status ??= GatewayStatus.Offline;
                        break;
                    case FaultType.DoorOpen when asset is { Device: not null, Circuit: null }:
                        DeviceOf(asset, now)?.DoorOpen.RestoreSince(pending.Since);
                        break;
                    case FaultType.ManualOverrideLeftOn when asset is { Device: not null, Circuit: null }:
                        DeviceOf(asset, now)?.ManualOverride.RestoreSince(pending.Since);
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
            this.plant = plant;
            daylight.Clear();
            foreach (var session in sessions.Values)
            {
                var site = plant.FindSite(session.Site);
                session.Rebind(site, DaylightOf(session.Site));
                foreach (var device in session.Devices.Values)
                {
                    device.Rebind(site?.FindDevice(device.Id));
                }
            }

            Watch(plant, time.GetUtcNow());
        }
    }

    private void Evaluate(GatewaySession session, Reading reading, ThresholdSnapshot snapshot, DateTimeOffset received, ICollection<FaultTransition> output)
    {
        if (!session.Devices.TryGetValue(reading.Device, out var device))
        {
            device = Device(session, reading.Device, reading.Family, received);
            if (device is null)
            {
                return;
            }
        }

        if (device.Plant is null)
        {
            unknownDevice.Evaluate(device, reading, output);
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
                Interlocked.Increment(ref skipped);
                return;
            }

            circuit.LastJudged = at;
        }
        else
        {
            if (at <= device.LastJudged)
            {
                Interlocked.Increment(ref skipped);
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
                EvaluateCircuit(device.Whole, values, at, output);
                break;
            case DeviceFamily.StreetController:
                doorOpen.Evaluate(device, values, at, output);
                manualOverride.Evaluate(device, values, at, output);
                break;
            case DeviceFamily.DistributionBox:
                doorOpen.Evaluate(device, values, at, output);
                insulation.Evaluate(device, values, at, output);
                leakage.Evaluate(device, values, at, output);
                earth.Evaluate(device, values, at, output);
                break;
            case DeviceFamily.EmergencyBattery:
                batteryTest.OnReading(device, values, at, output);
                break;
            case DeviceFamily.LightTimeController:
                clockDrift.Evaluate(device, values, at, output);

                // Single-output controllers report their output with the device rather than per circuit.
                EvaluateCircuit(device.Whole, values, at, output);
                break;
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
            if (Session(asset.Site, asset.Gateway) is not { } session)
            {
                return;
            }

            switch (fault)
            {
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
        }
    }

    private DeviceState? DeviceOf(AssetRef asset, DateTimeOffset now) =>
        asset.Device is { } id && Session(asset.Site, asset.Gateway) is { } session ? Device(session, id, null, now) : null;

    private CircuitState? Circuit(AssetRef asset, DateTimeOffset now) =>
        DeviceOf(asset, now) is not { } device ? null
        : asset.Circuit is { } circuit ? device.Circuit(circuit)
        : device.Whole;

    /// <summary>The session of a gateway, created on first use; null when the identifiers cannot name an asset.</summary>
    private GatewaySession? Session(string site, string gateway)
    {
        // Batches come in runs from one gateway; the last session saves the tuple hash most of the time.
        if (lastSession is { } last && string.Equals(last.Id, gateway, StringComparison.Ordinal) && string.Equals(last.Site, site, StringComparison.Ordinal))
        {
            return last;
        }

        if (!sessions.TryGetValue((site, gateway), out var session))
        {
            if (!Identifiers.IsValid(site) || !Identifiers.IsValid(gateway))
            {
                return null;
            }

            session = new GatewaySession(site, gateway, plant.FindSite(site), DaylightOf(site));
            sessions.Add((site, gateway), session);
        }

        lastSession = session;
        return session;
    }

    /// <summary>The state of a device reported through <paramref name="session"/>, created on first use; null for an id that cannot name an asset.</summary>
    private DeviceState? Device(GatewaySession session, string id, DeviceFamily? family, DateTimeOffset now)
    {
        if (session.Devices.TryGetValue(id, out var device))
        {
            return device;
        }

        if (!Identifiers.IsValid(id))
        {
            return null;
        }

        var known = session.PlantSite?.FindDevice(id);
        device = new DeviceState(session, id, family ?? known?.Family ?? default, known, now);
        session.Devices.Add(id, device);
        return device;
    }

    private SiteDaylight? DaylightOf(string site)
    {
        if (daylight.TryGetValue(site, out var sun))
        {
            return sun;
        }

        if (plant.FindSite(site) is not { } known)
        {
            return null;
        }

        sun = new SiteDaylight(known.Latitude, known.Longitude);
        daylight.Add(site, sun);
        return sun;
    }

    /// <summary>Every device of the plant gets its state now, so that one that never reports is found silent.</summary>
    private void Watch(PlantDirectory directory, DateTimeOffset now)
    {
        foreach (var site in directory.Sites)
        {
            foreach (var gateway in site.Gateways)
            {
                if (Session(site.Id, gateway.Id) is not { } session)
                {
                    continue;
                }

                foreach (var device in gateway.Devices)
                {
                    Device(session, device.Id, device.Family, now);
                }
            }
        }
    }
}
