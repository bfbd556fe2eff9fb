using System.Reflection;
using System.Text.Json;
using Telemetry.Contracts;
using Telemetry.Devices.Profiles;

namespace Telemetry.Fuzzing.Inputs;

/// <summary>
/// The valid documents every path's inputs start from, as the product writes or ships them: gateway messages
/// written by the contracts' own serialiser (so in the form gateways write), commands as the Api sends them,
/// and the shipped profile files and small test site (embedded from <c>hardware/</c>).
/// </summary>
public static class ValidDocuments
{
    /// <summary>The clock of every target: the documents' times are a few minutes before it, inside the contracts' bounds.</summary>
    public static DateTimeOffset Now { get; } = new(2026, 11, 22, 19, 5, 0, TimeSpan.Zero);

    public const string Site = "north";

    public const string Gateway = "gw-north-01";

    private static readonly DateTimeOffset Read = new(2026, 11, 22, 19, 0, 4, 981, TimeSpan.Zero);

    private static readonly Lazy<IReadOnlyDictionary<string, string>> ProfileTexts = new(() => Resources("profiles/"));

    private static readonly Lazy<ProfileCatalog> Catalog = new(() =>
        new ProfileCatalog(ProfileTexts.Value.Select(p => ProfileLoader.Parse(p.Value, p.Key))));

    /// <summary>A reading batch of the contract's example: a mast with values, a box in error, a two-circuit controller.</summary>
    public static string ReadingBatch => JsonSerializer.Serialize(
        new ReadingBatch
        {
            Gateway = Gateway,
            Site = Site,
            Seq = 1842,
            Sent = Read.AddMilliseconds(139),
            Readings =
            [
                new Reading
                {
                    Device = "mast-07", Family = DeviceFamily.HighMast, Ts = Read, Quality = ReadingQuality.Good,
                    Values = new Dictionary<string, ReadingValue>
                    {
                        ["lamps_installed"] = 12, ["lamps_lit"] = 7, ["commanded_on"] = true, ["voltage_v"] = 229.4, ["current_a"] = 18.2,
                    },
                },
                new Reading { Device = "box-03", Family = DeviceFamily.DistributionBox, Ts = Read.AddMilliseconds(9), Quality = ReadingQuality.Error, Error = "modbus timeout" },
                new Reading
                {
                    Device = "sc-1", Family = DeviceFamily.StreetController, Ts = Read.AddMilliseconds(12), Quality = ReadingQuality.Stale, Circuit = "2",
                    Values = new Dictionary<string, ReadingValue> { ["lamps_lit"] = 16, ["insulation_mohm"] = 3.5, ["energy_kwh"] = 1234567.5 },
                },
            ],
        },
        ContractsJson.Default.ReadingBatch);

    /// <summary>A gateway's retained state.</summary>
    public static string GatewayState => JsonSerializer.Serialize(
        new GatewayState { State = GatewayStatus.Online, Ts = Read, Version = "1.4.2" },
        ContractsJson.Default.GatewayState);

    /// <summary>Gateway events: a battery test's result, and a command's.</summary>
    public static IReadOnlyList<string> GatewayEvents =>
    [
        JsonSerializer.Serialize(
            new GatewayEvent
            {
                Kind = EventKinds.BatteryTestFinished, Ts = Read, Device = "eps-1", Message = "duration test passed",
                Values = new Dictionary<string, ReadingValue> { ["runtime_min"] = 92, ["battery_voltage_v"] = 24.1, ["passed"] = true },
                Attributes = new Dictionary<string, string> { ["outcome"] = "passed", ["test"] = "duration" },
            },
            ContractsJson.Default.GatewayEvent),
        JsonSerializer.Serialize(
            new GatewayEvent
            {
                Kind = EventKinds.CommandResult, Ts = Read, Device = "sc-2", Message = "point 'commanded_on': out of range",
                Attributes = new Dictionary<string, string> { ["action"] = "switch", ["result"] = "rejected", ["command_id"] = "c-17" },
            },
            ContractsJson.Default.GatewayEvent),
    ];

    /// <summary>Commands of every action, as the Api sends them.</summary>
    public static IReadOnlyList<string> Commands { get; } =
    [
        """{"id":"c-1","action":"switch","circuit":2,"on":false}""",
        """{"id":"c-2","action":"switch","on":true}""",
        """{"id":"c-3","action":"set_clock","time":"2026-11-22T19:04:00.000Z"}""",
        """{"action":"set_clock"}""",
        """{"id":"c-4","action":"write","point":"lamps_installed","value":16}""",
        """{"id":"c-5","action":"write","point":"on_time_min","circuit":1,"value":1080}""",
        """{"id":"c-6","action":"write","point":"schedule_mode","value":1}""",
        """{"id":"c-8","action":"write","point":"leakage_alarm_threshold_ma","value":30.5}""",
        """{"id":"c-7","action":"start_duration_test"}""",
        """{"action":"resume_schedule"}""",
    ];

    /// <summary>The small test site: every shipped profile once, on a TCP link and an RS-485 bus.</summary>
    public static string SiteFile => Resources("sites/")["sites/test-small.json"];

    /// <summary>The shipped profile files, by model.</summary>
    public static IReadOnlyDictionary<string, string> ProfileFiles => ProfileTexts.Value;

    /// <summary>The shipped profiles, loaded.</summary>
    public static ProfileCatalog Profiles => Catalog.Value;

    /// <summary>Reading batches with the words of their domain (families, qualities, point names).</summary>
    public static JsonTemplate ReadingBatchTemplate() => JsonTemplate.From(
        "reading batch",
        ReadingBatch,
        words: [.. Enum.GetValues<DeviceFamily>().Select(f => f.ToContractName()), "good", "stale", "error", Site, Gateway, .. PointNameWords()],
        names: ["v", "gateway", "site", "seq", "sent", "readings", "device", "family", "ts", "quality", "circuit", "values", "error", .. PointNameWords()]);

    public static JsonTemplate GatewayStateTemplate() => JsonTemplate.From(
        "gateway state", GatewayState, words: ["online", "offline"], names: ["state", "ts", "version"]);

    public static IReadOnlyList<JsonTemplate> GatewayEventTemplates() =>
        [.. GatewayEvents.Select(e => JsonTemplate.From(
            "gateway event", e,
            words: [EventKinds.BatteryTestStarted, EventKinds.BatteryTestFinished, EventKinds.CommandResult, "device_error"],
            names: ["v", "kind", "ts", "device", "message", "values", "attributes", .. PointNameWords()]))];

    private static IEnumerable<string> PointNameWords() =>
        typeof(PointNames).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetRawConstantValue()!);

    private static IReadOnlyDictionary<string, string> Resources(string prefix)
    {
        var assembly = typeof(ValidDocuments).Assembly;
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            texts[prefix == "profiles/" ? Path.GetFileNameWithoutExtension(name) : name] = reader.ReadToEnd();
        }

        return texts;
    }
}
