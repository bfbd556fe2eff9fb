using System.Globalization;
using Microsoft.Extensions.Logging;
using Telemetry.Devices.Decoding;
using Telemetry.Devices.Profiles;
using Telemetry.Devices.Sites;
using Telemetry.Modbus;
using Telemetry.Simulator.Faults;
using Telemetry.Simulator.Plant;
using Telemetry.Simulator.Scenarios;

namespace Telemetry.Simulator.Serving;

/// <summary>
/// A site played for real: the plant model advanced by a <see cref="TimeProvider"/>, one Modbus TCP server per
/// TCP link and one RTU server per RS-485 link serving every device's registers, faults from a scenario or
/// injected at run time. Thread-safe: one lock serialises the model; servers answer from the register maps.
/// </summary>
public sealed partial class Simulation : IAsyncDisposable
{
    private readonly Lock gate = new();
    private readonly TimeProvider clock;
    private readonly ILogger logger;
    private readonly SimulationOptions options;
    private readonly Dictionary<string, ServedDevice> served = new(StringComparer.Ordinal);
    private readonly List<(ModbusServer Server, SiteLink Link, string Endpoint)> servers = [];
    private readonly ScenarioRunner? scenario;
    private long requests;
    private long writes;
    private long serverErrors;
    private int disposed;

    public Simulation(Site site, SimulationOptions options, TimeProvider clock, ILogger<Simulation> logger)
    {
        ArgumentNullException.ThrowIfNull(site);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(logger);
        this.clock = clock;
        this.logger = logger;
        this.options = options;
        var gateways = options.Gateway is null
            ? site.Gateways
            : [site.FindGateway(options.Gateway) ?? throw new ArgumentException($"site '{site.Id}' has no gateway '{options.Gateway}'; it has {string.Join(", ", site.Gateways.Select(g => g.Id))}", nameof(options))];
        var rtuIds = gateways.SelectMany(g => g.Links.OfType<RtuLink>()).GroupBy(l => l.Id).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (rtuIds.Count > 0)
        {
            throw new ArgumentException($"several gateways have RTU link(s) {string.Join(", ", rtuIds)}: choose one gateway to simulate", nameof(options));
        }

        Site = site;
        bool Served(SiteLink link) => options.Links is null || options.Links.Contains(link.Id);
        Plant = new PlantModel(site, gateways.SelectMany(g => g.Devices.Where(d => Served(g.FindLink(d.LinkId)!))), options.Physics, options.Seed, clock.GetUtcNow());
        foreach (var gateway in gateways)
        {
            foreach (var link in gateway.Links.Where(Served))
            {
                var devices = gateway.DevicesOn(link.Id).ToList();
                if (devices.Count > 0)
                {
                    AddServer(link, devices);
                }
            }
        }

        if (options.Scenario is { } script)
        {
            scenario = new ScenarioRunner(script, Plant.Time);
        }

        Render();
    }

    public Site Site { get; }

    public PlantModel Plant { get; }

    public TimeProvider Clock => clock;

    /// <summary>Every served device, in site order.</summary>
    public IReadOnlyList<ServedDevice> Devices => [.. Plant.Devices.Select(d => served[d.Id])];

    /// <summary>Where each link is served: link id and endpoint (TCP port or serial path).</summary>
    public IReadOnlyList<(string Link, string Endpoint)> Endpoints => [.. servers.Select(s => (s.Link.Id, s.Endpoint))];

    /// <summary>The TCP port a TCP link is served on (after <see cref="Start"/> when it was 0).</summary>
    public int TcpPort(string linkId) => servers.First(s => s.Link.Id == linkId).Server is ModbusTcpServer tcp
        ? tcp.Port
        : throw new ArgumentException($"link '{linkId}' is not TCP", nameof(linkId));

    public ScenarioRunner? Scenario => scenario;

    public long RequestsServed => Interlocked.Read(ref requests);

    public long WritesApplied => Interlocked.Read(ref writes);

    public long ServerErrors => Interlocked.Read(ref serverErrors);

    public bool IsServing => servers.Count > 0 && servers.All(s => s.Server.IsRunning);

    /// <summary>Opens every port and starts answering.</summary>
    /// <exception cref="ModbusLinkException">A port or serial device could not be opened.</exception>
    public void Start(CancellationToken cancellationToken)
    {
        foreach (var (server, link, endpoint) in servers)
        {
            server.Start(cancellationToken);
            LogServing(logger, link.Id, server is ModbusTcpServer tcp ? $"tcp://{tcp.Host}:{tcp.Port}" : endpoint, server.UnitIds.Count);
        }
    }

    /// <summary>Advances the plant to the clock's time (playing due scenario events on the way) and refreshes every register map.</summary>
    public void Update()
    {
        lock (gate)
        {
            var now = clock.GetUtcNow();
            if (scenario is not null)
            {
                foreach (var due in scenario.Due(now))
                {
                    Plant.AdvanceTo(due.At);
                    var outcome = Play(due.Event);
                    scenario.Played(due, outcome);
                    LogScenarioEvent(logger, due.Event.Offset, due.Event.Device, due.Event.Describe(), outcome ?? "done");
                }
            }

            Plant.AdvanceTo(now);
            Render();
        }
    }

    /// <summary>Injects a fault (replacing one of the same kind and circuit).</summary>
    /// <returns>The fault as validated, or the problems found (an unknown device gives a null fault and one problem).</returns>
    public (Fault? Fault, IReadOnlyList<string> Problems) Inject(string deviceId, FaultDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        lock (gate)
        {
            Plant.AdvanceTo(clock.GetUtcNow());
            return InjectLocked(deviceId, document);
        }
    }

    /// <summary>Clears faults of a kind (every kind when null) of a device.</summary>
    /// <returns>The faults removed, or null when the device is unknown.</returns>
    public IReadOnlyList<Fault>? Clear(string deviceId, FaultKind? kind, int? circuit = null)
    {
        lock (gate)
        {
            Plant.AdvanceTo(clock.GetUtcNow());
            return ClearLocked(deviceId, kind, circuit);
        }
    }

    /// <summary>Writes a command value to a writable point, as the gateway would through Modbus.</summary>
    /// <returns>Null when obeyed; otherwise why not.</returns>
    public string? Command(string deviceId, string point, int? circuit, PointValue value)
    {
        lock (gate)
        {
            Plant.AdvanceTo(clock.GetUtcNow());
            return CommandLocked(deviceId, point, circuit, value, "control API");
        }
    }

    /// <summary>Sets what a value reads, whatever the physics say, until <see cref="Unset"/>.</summary>
    /// <returns>Null when set; otherwise why not.</returns>
    public string? Set(string deviceId, string name, int? circuit, PointValue value)
    {
        lock (gate)
        {
            return SetLocked(deviceId, name, circuit, value);
        }
    }

    /// <summary>Lets a value follow the physics again.</summary>
    /// <returns>Whether an override was removed; null when the device is unknown.</returns>
    public bool? Unset(string deviceId, string name, int? circuit)
    {
        lock (gate)
        {
            return UnsetLocked(deviceId, name, circuit);
        }
    }

    /// <summary>A consistent view of one device: its values as the profile names them, faults and overrides.</summary>
    public DeviceSnapshot? Snapshot(string deviceId)
    {
        lock (gate)
        {
            return Plant.Find(deviceId) is { } device ? Describe(device) : null;
        }
    }

    public IReadOnlyList<DeviceSnapshot> Snapshots()
    {
        lock (gate)
        {
            return [.. Plant.Devices.Select(Describe)];
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Idempotent here: ModbusServer.DisposeAsync throws ObjectDisposedException when called twice.
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        foreach (var (server, _, _) in servers)
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var device in served.Values)
        {
            device.Image.Dispose();
        }
    }

    private DeviceSnapshot Describe(SimulatedDevice device)
    {
        var report = device.Report();
        var entry = served[device.Id];
        var values = new Dictionary<string, PointValue>(StringComparer.Ordinal);
        var circuits = new SortedDictionary<int, Dictionary<string, PointValue>>();
        foreach (var name in device.Profile.Points.Where(p => p.Circuit is null).SelectMany(p => p.ValueNames()))
        {
            if (report.Find(name) is { } value)
            {
                values[name] = value;
            }
        }

        foreach (var point in device.Profile.Points.Where(p => p.Circuit is not null))
        {
            foreach (var name in point.ValueNames())
            {
                if (report.Find(name, point.Circuit) is { } value)
                {
                    if (!circuits.TryGetValue(point.Circuit!.Value, out var level))
                    {
                        circuits[point.Circuit.Value] = level = new Dictionary<string, PointValue>(StringComparer.Ordinal);
                    }

                    level[name] = value;
                }
            }
        }

        return new DeviceSnapshot(
            device.Id,
            device.Definition.Family,
            device.Profile.Model,
            device.Definition.GatewayId,
            device.Definition.LinkId,
            device.Definition.UnitId,
            entry.Endpoint,
            device.Time,
            [.. device.Faults.Active],
            device.Overrides.ToDictionary(o => o.Key.ToString(), o => o.Value),
            values,
            circuits.ToDictionary(c => c.Key.ToString(CultureInfo.InvariantCulture), c => (IReadOnlyDictionary<string, PointValue>)c.Value));
    }

    private (Fault? Fault, IReadOnlyList<string> Problems) InjectLocked(string deviceId, FaultDocument document)
    {
        if (Plant.Find(deviceId) is not { } device)
        {
            return (null, [$"no device '{deviceId}'"]);
        }

        var (fault, problems) = Fault.Validate(document, device.Definition);
        if (fault is null)
        {
            return (null, problems);
        }

        device.Inject(fault);
        RenderDevice(device);
        LogFaultInjected(logger, device.Id, fault.ToString());
        return (fault, problems);
    }

    private IReadOnlyList<Fault>? ClearLocked(string deviceId, FaultKind? kind, int? circuit)
    {
        if (Plant.Find(deviceId) is not { } device)
        {
            return null;
        }

        var removed = device.Clear(kind, circuit);
        RenderDevice(device);
        foreach (var fault in removed)
        {
            LogFaultCleared(logger, device.Id, fault.ToString());
        }

        return removed;
    }

    private string? CommandLocked(string deviceId, string point, int? circuit, PointValue value, string via)
    {
        if (Plant.Find(deviceId) is not { } device)
        {
            return $"no device '{deviceId}'";
        }

        if (!CommandEncoder.TryEncode(device.Profile, point, circuit, value, out var request, out var rejection))
        {
            return rejection.ToString();
        }

        var values = AddressPlan.Values(request);
        if (device.Check(values) is { } code)
        {
            return $"the device refuses: exception {(int)code} ({code})";
        }

        device.Apply(values);
        RenderDevice(device);
        LogCommand(logger, device.Id, request.ToString(), via);
        return null;
    }

    private string? SetLocked(string deviceId, string name, int? circuit, PointValue value)
    {
        if (Plant.Find(deviceId) is not { } device)
        {
            return $"no device '{deviceId}'";
        }

        if (!device.Profile.Points.Any(p => p.Circuit == circuit && p.ValueNames().Contains(name)))
        {
            return circuit is null
                ? $"model {device.Profile.Model} has no device-level value '{name}'"
                : $"model {device.Profile.Model} has no value '{name}' in circuit {circuit}";
        }

        device.SetOverride(new ValueKey(name, circuit), value);
        RenderDevice(device);
        return null;
    }

    private bool? UnsetLocked(string deviceId, string name, int? circuit)
    {
        if (Plant.Find(deviceId) is not { } device)
        {
            return null;
        }

        var removed = device.ClearOverride(new ValueKey(name, circuit));
        RenderDevice(device);
        return removed;
    }

    private string? Play(ScenarioEvent scenarioEvent)
    {
        switch (scenarioEvent.Action)
        {
            case ScenarioAction.Inject:
                var (_, problems) = InjectLocked(scenarioEvent.Device, scenarioEvent.Fault!);
                return problems.Count > 0 ? string.Join("; ", problems) : null;
            case ScenarioAction.Clear:
                return ClearLocked(scenarioEvent.Device, scenarioEvent.ClearKind, scenarioEvent.Circuit) is null ? $"no device '{scenarioEvent.Device}'" : null;
            case ScenarioAction.Command:
                return CommandLocked(scenarioEvent.Device, scenarioEvent.Point!, scenarioEvent.Circuit, scenarioEvent.Value!.Value, "scenario");
            case ScenarioAction.Set:
                return SetLocked(scenarioEvent.Device, scenarioEvent.Point!, scenarioEvent.Circuit, scenarioEvent.Value!.Value);
            default:
                return UnsetLocked(scenarioEvent.Device, scenarioEvent.Point!, scenarioEvent.Circuit) is null ? $"no device '{scenarioEvent.Device}'" : null;
        }
    }

    private void Render()
    {
        foreach (var device in Plant.Devices)
        {
            RenderDevice(device);
        }
    }

    private void RenderDevice(SimulatedDevice device) => served[device.Id].Image.Render(device.Report());

    private void AddServer(SiteLink link, List<SiteDevice> devices)
    {
        ModbusServer server;
        string endpoint;
        RtuLink? wire = null;
        switch (link)
        {
            case TcpLink tcp:
                var (host, port) = options.TcpEndpoints.TryGetValue(link.Id, out var over) ? over : (tcp.Host, tcp.Port);
                server = new ModbusTcpServer(host, port);
                endpoint = string.Create(CultureInfo.InvariantCulture, $"tcp://{host}:{port}");
                break;
            case RtuLink rtu:
                var path = options.SerialPaths.TryGetValue(link.Id, out var mapped) ? mapped : SimulationOptions.DefaultSimulatorPath(rtu.Device);
                var line = new ModbusSerialLine(path, rtu.BaudRate, rtu.Parity switch
                {
                    SerialParity.None => ModbusParity.None,
                    SerialParity.Odd => ModbusParity.Odd,
                    _ => ModbusParity.Even,
                }, rtu.DataBits, rtu.StopBits);
                server = new ModbusRtuServer(line);
                endpoint = line.ToString();
                wire = options.WireTiming ? rtu : null;
                break;
            default:
                throw new ArgumentException($"unknown link type {link.GetType().Name}", nameof(link));
        }

        var units = new Dictionary<int, ServedDevice>();
        foreach (var definition in devices)
        {
            var device = Plant.Find(definition.Id)!;
            var entry = new ServedDevice(device, new RegisterImage(device.Profile), new AddressPlan(device.Profile), link, endpoint);
            served[device.Id] = entry;
            units[definition.UnitId] = entry;
            server.AddUnit(definition.UnitId, entry.Image.Map);
        }

        server.RequestHook = request => Decide(request, units, wire);
        server.WriteApplied += (_, e) => Applied(e.Write, units);
        server.Error += (_, e) =>
        {
            Interlocked.Increment(ref serverErrors);
            LogServerError(logger, link.Id, e.Exception.Message);
        };
        servers.Add((server, link, endpoint));
    }

    private ModbusResponse Decide(ModbusRequest request, Dictionary<int, ServedDevice> units, RtuLink? wire)
    {
        Interlocked.Increment(ref requests);
        if (!units.TryGetValue(request.UnitId, out var target))
        {
            // Broadcasts (unit 0) are not obeyed: each device would have to check them on its own.
            return ModbusResponse.Silence;
        }

        var bus = target.Device.Bus;
        if (bus.Silent)
        {
            return ModbusResponse.Silence;
        }

        var decision = bus.Exception is { } code ? ModbusResponse.Reject(code) : Validate(request, target);
        var delay = bus.Delay;
        if (wire is not null)
        {
            // Rounded up to whole milliseconds, because the server's wait truncates to them: the emulated line
            // may be a little slower than the real one, never faster.
            var line = WireTiming.Transaction(WireTiming.RequestBytes(request), WireTiming.ResponseBytes(request, decision), wire);
            delay += TimeSpan.FromMilliseconds(Math.Ceiling(line.TotalMilliseconds));
        }

        return delay > TimeSpan.Zero ? decision.After(delay) : decision;
    }

    private ModbusResponse Validate(ModbusRequest request, ServedDevice target)
    {
        if (AddressPlan.TableOf(request.FunctionCode) is { } table)
        {
            return target.Plan.CheckRead(table, request.Address, request.Count) is { } readError ? ModbusResponse.Reject(readError) : ModbusResponse.Normal;
        }

        if (request.FunctionCode is not (5 or 6 or 15 or 16))
        {
            return ModbusResponse.Reject(ModbusExceptionCode.IllegalFunction);
        }

        if (request.Write is not { } write)
        {
            return ModbusResponse.Reject(ModbusExceptionCode.IllegalDataValue);
        }

        var (values, error) = target.Plan.Decode(write);
        if (error is { } writeError)
        {
            LogWriteRefused(logger, target.Device.Id, write.ToString(), writeError);
            return ModbusResponse.Reject(writeError);
        }

        lock (gate)
        {
            if (target.Device.Check(values) is { } refusal)
            {
                LogWriteRefused(logger, target.Device.Id, write.ToString(), refusal);
                return ModbusResponse.Reject(refusal);
            }
        }

        return ModbusResponse.Normal;
    }

    private void Applied(ModbusWrite write, Dictionary<int, ServedDevice> units)
    {
        if (!units.TryGetValue(write.UnitId, out var target))
        {
            return;
        }

        var (values, error) = target.Plan.Decode(write);
        if (error is not null)
        {
            return;
        }

        Interlocked.Increment(ref writes);
        lock (gate)
        {
            target.Device.Apply(values);

            // Re-render at once: write-only registers read 0 again, self-resetting coils reset, and a read that
            // follows on the same connection sees the device's reaction rather than the raw write.
            RenderDevice(target.Device);
        }

        LogCommand(logger, target.Device.Id, write.ToString(), target.Link.Id);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Serving link {Link} on {Endpoint}: {Units} unit(s)")]
    private static partial void LogServing(ILogger logger, string link, string endpoint, int units);

    [LoggerMessage(Level = LogLevel.Information, Message = "Scenario T+{Offset}: {Device} {Event}: {Outcome}")]
    private static partial void LogScenarioEvent(ILogger logger, TimeSpan offset, string device, string @event, string outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "Fault injected on {Device}: {Fault}")]
    private static partial void LogFaultInjected(ILogger logger, string device, string fault);

    [LoggerMessage(Level = LogLevel.Information, Message = "Fault cleared on {Device}: {Fault}")]
    private static partial void LogFaultCleared(ILogger logger, string device, string fault);

    [LoggerMessage(Level = LogLevel.Information, Message = "Device {Device} obeyed {Write} (via {Via})")]
    private static partial void LogCommand(ILogger logger, string device, string write, string via);

    [LoggerMessage(Level = LogLevel.Information, Message = "Device {Device} refused {Write}: {Code}")]
    private static partial void LogWriteRefused(ILogger logger, string device, string write, ModbusExceptionCode code);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Modbus server of link {Link}: {Error}")]
    private static partial void LogServerError(ILogger logger, string link, string error);
}

/// <summary>One device as the control API shows it.</summary>
public sealed record DeviceSnapshot(
    string Id,
    Contracts.DeviceFamily Family,
    string Model,
    string Gateway,
    string Link,
    int Unit,
    string Endpoint,
    DateTimeOffset Time,
    IReadOnlyList<Fault> Faults,
    IReadOnlyDictionary<string, PointValue> Overrides,
    IReadOnlyDictionary<string, PointValue> Values,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, PointValue>> Circuits);
