using System.Globalization;
using System.Text.Json.Serialization;
using Telemetry.Devices.Sites;

namespace Telemetry.Simulator.Faults;

/// <summary>
/// A fault as injected: its kind and the parameters that kind takes. The JSON form is flat, as in scenario files
/// and the control API: <c>{"fault": "lamps_dark", "circuit": 2, "count": 5}</c>.
/// </summary>
public sealed record Fault(FaultKind Kind)
{
    /// <summary>Circuit of a per-circuit fault (1 when not given); null for device-wide faults.</summary>
    public int? Circuit { get; init; }

    /// <summary><c>lamps_dark</c>: lamps dark.</summary>
    public int? Count { get; init; }

    /// <summary><c>low_insulation</c>: insulation resistance, MΩ.</summary>
    public double? Mohm { get; init; }

    /// <summary><c>high_leakage</c>: residual current, mA.</summary>
    public double? Ma { get; init; }

    /// <summary><c>high_earth_resistance</c>: earth resistance, Ω.</summary>
    public double? Ohm { get; init; }

    /// <summary><c>breaker_trip</c>: 0 the main breaker, 1-8 the outgoing ones.</summary>
    public int? Breaker { get; init; }

    /// <summary><c>battery_aged</c>: state of health, 0-1.</summary>
    public double? Health { get; init; }

    /// <summary><c>clock_drift</c>: drift in ppm.</summary>
    public double? Ppm { get; init; }

    /// <summary><c>clock_drift</c>: a jump of the clock, seconds.</summary>
    public double? OffsetS { get; init; }

    /// <summary><c>slow</c>: answer delay, ms.</summary>
    public int? DelayMs { get; init; }

    /// <summary><c>exception</c>: the Modbus exception code; <c>lift_fault</c>: the lift fault code.</summary>
    public int? Code { get; init; }

    /// <summary>The flat JSON form of the fault.</summary>
    public FaultDocument ToDocument() => new()
    {
        Fault = Kind.ToJsonName(),
        Circuit = Circuit,
        Count = Count,
        Mohm = Mohm,
        Ma = Ma,
        Ohm = Ohm,
        Breaker = Breaker,
        Health = Health,
        Ppm = Ppm,
        OffsetS = OffsetS,
        DelayMs = DelayMs,
        Code = Code,
    };

    /// <summary>E.g. <c>lamps_dark circuit 2 count 5</c>.</summary>
    public override string ToString()
    {
        var parts = new List<string> { Kind.ToJsonName() };
        void Add(string name, object? value)
        {
            if (value is not null)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{name} {value}"));
            }
        }

        Add("circuit", Circuit);
        Add("count", Count);
        Add("mohm", Mohm);
        Add("ma", Ma);
        Add("ohm", Ohm);
        Add("breaker", Breaker);
        Add("health", Health);
        Add("ppm", Ppm);
        Add("offset_s", OffsetS);
        Add("delay_ms", DelayMs);
        Add("code", Code);
        return string.Join(' ', parts);
    }

    /// <summary>
    /// Checks the fault's parameters against its kind and the device; returns the fault with defaults filled in
    /// (circuit 1 for per-circuit faults), or the problems found.
    /// </summary>
    public static (Fault? Fault, IReadOnlyList<string> Problems) Validate(FaultDocument document, SiteDevice device)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(device);
        var problems = new List<string>();
        if (!FaultKinds.TryParse(document.Fault, out var kind))
        {
            problems.Add($"fault '{document.Fault}' is none of {string.Join(", ", FaultKinds.Names)}");
            return (null, problems);
        }

        if (!kind.Families().Contains(device.Family))
        {
            problems.Add($"fault '{document.Fault}' does not apply to device '{device.Id}', a {Contracts.DeviceFamilyNames.ToContractName(device.Family)} (it applies to {string.Join(", ", kind.Families().Select(Contracts.DeviceFamilyNames.ToContractName))})");
            return (null, problems);
        }

        var allowed = kind switch
        {
            FaultKind.LampsDark => new[] { "circuit", "count" },
            FaultKind.CableCut or FaultKind.ContactorWelded => ["circuit"],
            FaultKind.LowInsulation => ["mohm"],
            FaultKind.HighLeakage => ["ma"],
            FaultKind.HighEarthResistance => ["ohm"],
            FaultKind.BreakerTrip => ["breaker"],
            FaultKind.BatteryAged => ["health"],
            FaultKind.ClockDrift => ["ppm", "offset_s"],
            FaultKind.LiftFault or FaultKind.Exception => ["code"],
            FaultKind.Slow => ["delay_ms"],
            _ => [],
        };
        foreach (var (name, given, _) in document.Parameters())
        {
            if (given && !allowed.Contains(name))
            {
                problems.Add(allowed.Length == 0
                    ? $"fault '{document.Fault}' takes no parameters, but '{name}' is given"
                    : $"fault '{document.Fault}' takes {string.Join(", ", allowed)}, not '{name}'");
            }
        }

        int? circuit = null;
        if (kind.IsPerCircuit())
        {
            circuit = document.Circuit ?? 1;
            var circuits = Math.Max(1, device.Profile.CircuitCount);
            if (circuit < 1 || circuit > circuits)
            {
                problems.Add($"circuit {circuit} is outside 1..{circuits} of model {device.Model}");
            }
        }

        void Require(bool present, string name)
        {
            if (!present)
            {
                problems.Add($"fault '{document.Fault}' needs '{name}'");
            }
        }

        void Range(double? value, string name, double min, double max)
        {
            if (value is { } v && (!double.IsFinite(v) || v < min || v > max))
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"'{name}' {v} is outside {min}..{max}"));
            }
        }

        switch (kind)
        {
            case FaultKind.LampsDark:
                Require(document.Count is not null, "count");
                Range(document.Count, "count", 1, 10_000);
                break;
            case FaultKind.LowInsulation:
                Require(document.Mohm is not null, "mohm");
                Range(document.Mohm, "mohm", 0, 655);
                break;
            case FaultKind.HighLeakage:
                Require(document.Ma is not null, "ma");
                Range(document.Ma, "ma", 0, 6000);
                break;
            case FaultKind.HighEarthResistance:
                Require(document.Ohm is not null, "ohm");
                Range(document.Ohm, "ohm", 0, 655);
                break;
            case FaultKind.BreakerTrip:
                Require(document.Breaker is not null, "breaker");
                Range(document.Breaker, "breaker", 0, 8);
                break;
            case FaultKind.BatteryAged:
                Require(document.Health is not null, "health");
                Range(document.Health, "health", 0.001, 1);
                break;
            case FaultKind.ClockDrift:
                Require(document.Ppm is not null || document.OffsetS is not null, "ppm or offset_s");
                Range(document.Ppm, "ppm", -100_000, 100_000);
                Range(document.OffsetS, "offset_s", -86_400 * 366, 86_400 * 366);
                break;
            case FaultKind.LiftFault:
                Require(document.Code is not null, "code");
                Range(document.Code, "code", 1, 4);
                break;
            case FaultKind.Slow:
                Require(document.DelayMs is not null, "delay_ms");
                Range(document.DelayMs, "delay_ms", 1, 60_000);
                break;
            case FaultKind.Exception:
                Require(document.Code is not null, "code");
                Range(document.Code, "code", 1, 11);
                if (document.Code is 9)
                {
                    problems.Add("'code' 9 is not a Modbus exception code");
                }

                break;
        }

        if (problems.Count > 0)
        {
            return (null, problems);
        }

        return (new Fault(kind)
        {
            Circuit = circuit,
            Count = document.Count,
            Mohm = document.Mohm,
            Ma = document.Ma,
            Ohm = document.Ohm,
            Breaker = document.Breaker,
            Health = document.Health,
            Ppm = document.Ppm,
            OffsetS = document.OffsetS,
            DelayMs = document.DelayMs,
            Code = document.Code,
        }, problems);
    }
}

/// <summary>The JSON form of a fault, as written in scenario files and API requests.</summary>
public class FaultDocument
{
    public string? Fault { get; init; }

    public int? Circuit { get; init; }

    public int? Count { get; init; }

    public double? Mohm { get; init; }

    public double? Ma { get; init; }

    public double? Ohm { get; init; }

    public int? Breaker { get; init; }

    public double? Health { get; init; }

    public double? Ppm { get; init; }

    [JsonPropertyName("offset_s")]
    public double? OffsetS { get; init; }

    [JsonPropertyName("delay_ms")]
    public int? DelayMs { get; init; }

    public int? Code { get; init; }

    internal IEnumerable<(string Name, bool Given, string Value)> Parameters()
    {
        static (string, bool, string) Of(string name, object? value) =>
            (name, value is not null, Convert.ToString(value, CultureInfo.InvariantCulture) ?? "");

        yield return Of("circuit", Circuit);
        yield return Of("count", Count);
        yield return Of("mohm", Mohm);
        yield return Of("ma", Ma);
        yield return Of("ohm", Ohm);
        yield return Of("breaker", Breaker);
        yield return Of("health", Health);
        yield return Of("ppm", Ppm);
        yield return Of("offset_s", OffsetS);
        yield return Of("delay_ms", DelayMs);
        yield return Of("code", Code);
    }
}
