using Telemetry.Devices.Decoding;
using Telemetry.Devices.Sites;
using Telemetry.Simulator.Control;
using Telemetry.Simulator.Faults;
using Telemetry.Simulator.Physics;

namespace Telemetry.Simulator.Plant;

/// <summary>
/// A street-lighting cabinet controller: per circuit a contactor following the schedule or remote commands,
/// lamps spread over three phases, and a meter; the cabinet's door, supply and hand/auto selector.
/// </summary>
public sealed class StreetControllerDevice : SimulatedDevice
{
    private readonly List<LightingCircuit> circuits = [];
    private readonly Supply supply;
    private DateTimeOffset poweredSince;

    public StreetControllerDevice(SiteDevice definition, DeviceContext context, DateTimeOffset now)
        : base(definition, context, now)
    {
        supply = new Supply(Noise, context.Settings.NominalVoltage);
        poweredSince = now - TimeSpan.FromHours(Random.Next(24, 24 * 90));
        for (var k = 1; k <= CircuitCount; k++)
        {
            circuits.Add(new LightingCircuit(
                k,
                new LampBank(definition.LampsOn(k), Random, context.Settings.LampMtbfHours, now),
                new CircuitSwitch(context.Schedule, commandLastsUntilScheduleChanges: false),
                new Feeder(Noise, $"c{k}", context.Settings.StreetLampWatts, context.Settings.LampPowerFactor, Random.Next(2_000, 40_000) + Random.NextDouble())));
        }
    }

    /// <summary>The circuits (1-based numbers), for tests and the control API.</summary>
    public IReadOnlyList<LightingCircuit> Circuits => circuits;

    protected override void Step(DateTimeOffset now, TimeSpan step)
    {
        var wasPresent = supply.Present;
        supply.Present = SupplyPresent;
        if (supply.Present && !wasPresent)
        {
            poweredSince = now;
        }

        foreach (var circuit in circuits)
        {
            circuit.Lamps.Advance(now);
            circuit.Switch.Welded = Faults.Has(FaultKind.ContactorWelded, circuit.Number);
            circuit.Switch.HandOn = Faults.Has(FaultKind.ManualOverride);
            circuit.Switch.Advance(now, supply.Present);
            circuit.Feeder.Integrate(circuit.Measure(supply, Faults, now).PowerKw, step);
        }
    }

    protected override void Report(DeviceValues values, DateTimeOffset now)
    {
        values.Set("firmware_version", "V2.31");
        values.Set("device_model", Profile.Model.ToUpperInvariant());
        values.Set("supply_present", supply.Present);
        values.Set("door_open", Faults.Has(FaultKind.DoorOpen));
        values.Set("manual_override", Faults.Has(FaultKind.ManualOverride));
        values.Set("uptime_s", supply.Present ? Math.Floor((now - poweredSince).TotalSeconds) : 0);
        values.Set("resume_schedule", false);
        values.Set("schedule_command", 0L);
        var load = 0.0;
        foreach (var circuit in circuits)
        {
            var k = circuit.Number;
            var reading = circuit.Measure(supply, Faults, now);
            load += reading.PowerKw;
            values.Set("commanded_on", circuit.Switch.CommandedOn(now), k);
            values.Set("contactor_closed", circuit.Switch.ContactorClosed, k);
            values.Set("circuit_command", (long)circuit.Switch.Mode, k);
            for (var phase = 1; phase <= 3; phase++)
            {
                values.Set($"voltage_l{phase}_v", reading.Volts[phase - 1], k);
                values.Set($"current_l{phase}_a", reading.Amps[phase - 1], k);
            }

            values.Set("power_kw", reading.PowerKw, k);
            values.Set("energy_kwh", circuit.Feeder.EnergyKwh, k);
            values.Set("power_factor", circuit.Feeder.PowerFactor(reading.PowerKw), k);
            values.Set("lamps_installed", (long)circuit.Lamps.Installed, k);
            values.Set("lamps_lit", (long)reading.LampsLit, k);
        }

        values.Set("cabinet_temperature_c", Context.Climate.AirTemperature(now) + 6 + (load * 0.3) + Noise.Smooth("cabinet", now, TimeSpan.FromMinutes(10)));
    }

    protected override bool Command(string name, int? circuit, PointValue value, DateTimeOffset now)
    {
        switch (name)
        {
            case "commanded_on" when circuit is { } k:
                circuits[k - 1].Switch.Command(value.AsBoolean ? SwitchMode.ForcedOn : SwitchMode.ForcedOff);
                break;
            case "circuit_command" when circuit is { } k:
                circuits[k - 1].Switch.Command((SwitchMode)value.AsInteger);
                break;
            case "resume_schedule" or "schedule_command":
                if (value.Kind == PointValueKind.Boolean ? value.AsBoolean : value.AsInteger == 1)
                {
                    circuits.ForEach(c => c.Switch.Command(SwitchMode.Schedule));
                }

                break;
            default:
                return false;
        }

        // Contactors follow at once, as the controller's relay output would within one poll.
        foreach (var c in circuits)
        {
            c.Switch.Advance(now, supply.Present);
        }

        return true;
    }

    protected override void OnFaultsChanged(Fault fault, Fault? replaced, bool cleared)
    {
        if (fault.Kind == FaultKind.LampsDark && fault.Circuit is { } k && k <= circuits.Count)
        {
            if (cleared)
            {
                circuits[k - 1].Lamps.Relamp(Time);
            }
            else
            {
                circuits[k - 1].Lamps.ForceDark(fault.Count ?? 0);
            }
        }

        if (fault.Kind is FaultKind.ContactorWelded or FaultKind.ManualOverride or FaultKind.SupplyLoss)
        {
            supply.Present = SupplyPresent;
            foreach (var c in circuits)
            {
                c.Switch.Welded = Faults.Has(FaultKind.ContactorWelded, c.Number);
                c.Switch.HandOn = Faults.Has(FaultKind.ManualOverride);
                c.Switch.Advance(Time, supply.Present);
            }
        }
    }
}

/// <summary>One switched, metered lighting circuit: lamps on three phases (lamp i on phase i mod 3), a contactor, a meter.</summary>
public sealed class LightingCircuit(int number, LampBank lamps, CircuitSwitch circuitSwitch, Feeder feeder)
{
    public int Number { get; } = number;

    public LampBank Lamps { get; } = lamps;

    public CircuitSwitch Switch { get; } = circuitSwitch;

    public Feeder Feeder { get; } = feeder;

    /// <summary>Whether current can reach the lamps: supply, contactor closed and the cable intact.</summary>
    public bool Energised(Supply supply, FaultSet faults) =>
        supply.Present && Switch.ContactorClosed && !faults.Has(FaultKind.CableCut, Number);

    public CircuitReading Measure(Supply supply, FaultSet faults, DateTimeOffset now)
    {
        var energised = Energised(supply, faults);
        var lit = new int[3];
        var total = 0;
        for (var i = 0; i < Lamps.Installed; i++)
        {
            if (energised && Lamps.IsWorking(i))
            {
                lit[i % 3]++;
                total++;
            }
        }

        var volts = new double[3];
        var amps = new double[3];
        for (var phase = 1; phase <= 3; phase++)
        {
            volts[phase - 1] = supply.Voltage(phase, now);
            amps[phase - 1] = Feeder.Current(phase, lit[phase - 1], volts[phase - 1], now);
        }

        return new CircuitReading(volts, amps, Feeder.PowerKw(volts, amps), total);
    }
}

/// <summary>What a circuit's meter and lamp nodes read at one moment.</summary>
public sealed record CircuitReading(IReadOnlyList<double> Volts, IReadOnlyList<double> Amps, double PowerKw, int LampsLit);
