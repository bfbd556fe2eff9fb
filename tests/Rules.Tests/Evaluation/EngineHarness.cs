using Microsoft.Extensions.Time.Testing;
using Telemetry.Contracts;
using Telemetry.Devices.Sites;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Thresholds;
using Telemetry.Rules.Evaluation;

namespace Telemetry.Rules.Tests.Evaluation;

/// <summary>
/// An engine on the test plant with a fake clock: every reading is stamped with the clock's time and the clock then
/// moves on by <see cref="Step"/>, as a gateway polling on its interval would.
/// </summary>
internal sealed class EngineHarness
{
    private long seq;

    public EngineHarness(DateTimeOffset start, params Site[] sites)
        : this(start, RuleEngineLimits.Default, sites)
    {
    }

    public EngineHarness(DateTimeOffset start, RuleEngineLimits limits, params Site[] sites)
        : this(start, limits, RuleSet.Default, sites)
    {
    }

    public EngineHarness(DateTimeOffset start, RuleEngineLimits limits, RuleSet rules, params Site[] sites)
    {
        Time = new FakeTimeProvider(start);
        Thresholds = rules.Thresholds.Defaults;
        Engine = new RuleEngine(new PlantDirectory(sites.Length == 0 ? [TestPlant.Site()] : sites), () => Thresholds, Time, limits, rules);
    }

    public FakeTimeProvider Time { get; }

    public RuleEngine Engine { get; }

    public ThresholdSnapshot Thresholds { get; set; }

    public List<FaultTransition> Output { get; } = [];

    public TimeSpan Step { get; set; } = TimeSpan.FromSeconds(10);

    public DateTimeOffset Now => Time.GetUtcNow();

    public IEnumerable<FaultDetected> Detected(FaultType fault) => Output.OfType<FaultDetected>().Where(t => t.Fault == fault);

    public IEnumerable<FaultCleared> Cleared(FaultType fault) => Output.OfType<FaultCleared>().Where(t => t.Fault == fault);

    public void Read(string device, DeviceFamily family, IReadOnlyDictionary<string, ReadingValue> values, string? circuit = null, ReadingQuality quality = ReadingQuality.Good, string gateway = TestPlant.GatewayId)
    {
        var reading = quality == ReadingQuality.Error
            ? new Reading { Device = device, Family = family, Ts = Now, Quality = quality, Error = "modbus timeout" }
            : new Reading { Device = device, Family = family, Ts = Now, Quality = quality, Circuit = circuit, Values = values };
        Engine.OnReadings(TestPlant.SiteId, gateway, Batch(gateway, reading), Output);
        Time.Advance(Step);
    }

    public void Mast(int lit, bool commanded = true, int? installed = 12, bool supply = true, double? current = null, bool door = false)
    {
        var values = new Dictionary<string, ReadingValue>(StringComparer.Ordinal)
        {
            ["commanded_on"] = commanded,
            ["lamps_lit"] = lit,
            ["supply_present"] = supply,
            ["door_open"] = door,
        };
        if (installed is { } n)
        {
            values["lamps_installed"] = n;
        }

        if (current is { } a)
        {
            values["current_a"] = a;
        }

        Read("mast-01", DeviceFamily.HighMast, values);
    }

    public void Circuit(string circuit, bool commanded, bool contactor, int lit, double currentPerPhase, int? installed = null)
    {
        var values = new Dictionary<string, ReadingValue>(StringComparer.Ordinal)
        {
            ["commanded_on"] = commanded,
            ["contactor_closed"] = contactor,
            ["lamps_lit"] = lit,
            ["current_l1_a"] = currentPerPhase,
            ["current_l2_a"] = currentPerPhase,
            ["current_l3_a"] = currentPerPhase,
        };
        if (installed is { } n)
        {
            values["lamps_installed"] = n;
        }

        Read("sc-01", DeviceFamily.StreetController, values, circuit);
    }

    public void Box(string point, double value) =>
        Read("box-01", DeviceFamily.DistributionBox, new Dictionary<string, ReadingValue>(StringComparer.Ordinal) { [point] = value, ["supply_present"] = true });

    public void Battery(int testState, int lastResult, double runtimeS) =>
        Read("eps-01", DeviceFamily.EmergencyBattery, new Dictionary<string, ReadingValue>(StringComparer.Ordinal)
        {
            ["mains_present"] = true,
            ["test_state"] = testState,
            ["last_test_result"] = lastResult,
            ["last_test_runtime_s"] = runtimeS,
            ["rated_duration_min"] = 90,
        });

    /// <summary>Sends one reading again, as the broker redelivers it or a gateway replays it, without moving time.</summary>
    public void Again(string device, DeviceFamily family, IReadOnlyDictionary<string, ReadingValue> values, DateTimeOffset ts, string? circuit = null) =>
        Engine.OnReadings(TestPlant.SiteId, TestPlant.GatewayId, Batch(TestPlant.GatewayId, new Reading { Device = device, Family = family, Ts = ts, Circuit = circuit, Values = values }), Output);

    /// <summary>
    /// The gateway delivers a batch now, without moving time, that hears from no device: an error reading of
    /// <paramref name="device"/>, which the gateway could not read. It shows the gateway and the stream are moving.
    /// </summary>
    public void GatewayDelivers(string device = "ltc-02", string gateway = TestPlant.GatewayId) =>
        Engine.OnReadings(TestPlant.SiteId, gateway, Batch(gateway, new Reading
        {
            Device = device,
            Family = DeviceFamily.LightTimeController,
            Ts = Now,
            Quality = ReadingQuality.Error,
            Error = "modbus timeout",
        }), Output);

    /// <summary>Sends one batch of <paramref name="readings"/> from any site and gateway, without moving time.</summary>
    public void Deliver(string site, string gateway, params Reading[] readings) =>
        Engine.OnReadings(site, gateway, new ReadingBatch { Gateway = gateway, Site = site, Seq = ++seq, Sent = Now, Readings = readings }, Output);

    public void State(GatewayStatus status, string gateway = TestPlant.GatewayId) =>
        Engine.OnGatewayState(TestPlant.SiteId, gateway, new GatewayState { State = status, Ts = Now }, Output);

    public void Event(GatewayEvent gatewayEvent, string gateway = TestPlant.GatewayId) =>
        Engine.OnGatewayEvent(TestPlant.SiteId, gateway, gatewayEvent, Output);

    public void Tick(bool judgeSilence = true) => Engine.Tick(Now, Output, judgeSilence);

    public void Advance(TimeSpan by) => Time.Advance(by);

    private ReadingBatch Batch(string gateway, params Reading[] readings) => new()
    {
        Gateway = gateway,
        Site = TestPlant.SiteId,
        Seq = ++seq,
        Sent = Now,
        Readings = readings,
    };
}
