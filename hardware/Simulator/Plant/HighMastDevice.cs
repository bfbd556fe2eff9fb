using Telemetry.Devices.Decoding;
using Telemetry.Devices.Sites;
using Telemetry.Modbus;
using Telemetry.Simulator.Control;
using Telemetry.Simulator.Faults;
using Telemetry.Simulator.Physics;

namespace Telemetry.Simulator.Plant;

/// <summary>
/// A high-mast controller: one lamp ring sensed lamp by lamp, switched by schedule or command (a command holds
/// until the schedule next switches), and a winch that raises and lowers the ring under the maintenance key.
/// </summary>
public sealed class HighMastDevice : SimulatedDevice
{
    private readonly LightingCircuit ring;
    private readonly Supply supply;
    private bool liftUp;
    private bool liftDown;

    public HighMastDevice(SiteDevice definition, DeviceContext context, DateTimeOffset now)
        : base(definition, context, now)
    {
        supply = new Supply(Noise, context.Settings.NominalVoltage);
        ring = new LightingCircuit(
            1,
            new LampBank(definition.LampsInstalled, Random, context.Settings.LampMtbfHours, now),
            new CircuitSwitch(context.Schedule, commandLastsUntilScheduleChanges: true),
            new Feeder(Noise, "ring", context.Settings.MastLampWatts, context.Settings.LampPowerFactor, Random.Next(5_000, 60_000) + Random.NextDouble()));
    }

    public LightingCircuit Ring => ring;

    /// <summary>Where the lamp ring is: 1 at the top (in service), 0 at the bottom.</summary>
    public double LiftPosition { get; private set; } = 1;

    private int MotorState => Faults.Has(FaultKind.LiftFault) ? 0 : liftUp && !liftDown && LiftPosition < 1 ? 1 : liftDown && !liftUp && LiftPosition > 0 ? 2 : 0;

    public override ModbusExceptionCode? Check(IReadOnlyList<WrittenValue> values)
    {
        ArgumentNullException.ThrowIfNull(values);

        // The controller refuses lift commands unless the local maintenance key is on.
        var moves = values.Any(v => v.Name is "lift_up" or "lift_down" && v.Value.AsBoolean);
        return moves && !Faults.Has(FaultKind.MaintenanceKey) ? ModbusExceptionCode.IllegalDataValue : null;
    }

    protected override void Step(DateTimeOffset now, TimeSpan step)
    {
        supply.Present = SupplyPresent;
        ring.Lamps.Advance(now);
        ring.Switch.Welded = Faults.Has(FaultKind.ContactorWelded, 1);
        ring.Switch.Advance(now, supply.Present);
        ring.Feeder.Integrate(Measure(now).PowerKw, step);
        var travel = step / Context.Settings.LiftTravelTime;
        LiftPosition = MotorState switch
        {
            1 => Math.Min(1, LiftPosition + travel),
            2 => Math.Max(0, LiftPosition - travel),
            _ => LiftPosition,
        };
    }

    protected override void Report(DeviceValues values, DateTimeOffset now)
    {
        var reading = Measure(now);
        var energised = ring.Energised(supply, Faults);
        values.Set("lamps_installed", (long)ring.Lamps.Installed);
        for (var n = 1; n <= 24; n++)
        {
            values.Set($"lamp_{n}_lit", energised && n <= ring.Lamps.Installed && ring.Lamps.IsWorking(n - 1));
        }

        values.Set("lamps_lit", (long)reading.LampsLit);
        values.Set("voltage_v", reading.Volts[0]);
        values.Set("current_a", reading.Amps.Sum());
        values.Set("power_kw", reading.PowerKw);
        values.Set("energy_kwh", ring.Feeder.EnergyKwh);
        values.Set("commanded_on", ring.Switch.CommandedOn(now));
        values.Set("contactor_closed", ring.Switch.ContactorClosed);
        values.Set("lift_up", liftUp);
        values.Set("lift_down", liftDown);
        values.Set("lift_motor_state", (long)MotorState);
        values.Set("lift_position", LiftPosition >= 0.999 ? 1L : LiftPosition <= 0.001 ? 2L : 0L);
        values.Set("lift_fault", Faults.Has(FaultKind.LiftFault));
        values.Set("lift_fault_code", (long)(Faults.Find(FaultKind.LiftFault)?.Code ?? 0));
        values.Set("door_open", Faults.Has(FaultKind.DoorOpen));
        values.Set("supply_present", supply.Present);
        values.Set("maintenance_key", Faults.Has(FaultKind.MaintenanceKey));
        values.Set("enclosure_temperature_c", Context.Climate.AirTemperature(now) + 3 + Noise.Smooth("box", now, TimeSpan.FromMinutes(10)));
    }

    protected override bool Command(string name, int? circuit, PointValue value, DateTimeOffset now)
    {
        switch (name)
        {
            case "commanded_on":
                ring.Switch.Command(value.AsBoolean ? SwitchMode.ForcedOn : SwitchMode.ForcedOff);
                ring.Switch.Advance(now, supply.Present);
                return true;
            case "lift_up":
                liftUp = value.AsBoolean;
                return true;
            case "lift_down":
                liftDown = value.AsBoolean;
                return true;
            case "lamps_installed":
                ring.Lamps.Resize((int)value.AsReal, now);
                return true;
            default:
                return false;
        }
    }

    protected override void OnFaultsChanged(Fault fault, Fault? replaced, bool cleared)
    {
        switch (fault.Kind)
        {
            case FaultKind.LampsDark when cleared:
                ring.Lamps.Relamp(Time);
                break;
            case FaultKind.LampsDark:
                ring.Lamps.ForceDark(fault.Count ?? 0);
                break;
            case FaultKind.ContactorWelded or FaultKind.SupplyLoss:
                supply.Present = SupplyPresent;
                ring.Switch.Welded = Faults.Has(FaultKind.ContactorWelded, 1);
                ring.Switch.Advance(Time, supply.Present);
                break;
        }
    }

    private CircuitReading Measure(DateTimeOffset now)
    {
        // The mast is fed single-phase: every lamp on the supply's first phase.
        var volts = supply.Voltage(1, now);
        var lit = ring.Energised(supply, Faults) ? ring.Lamps.Working : 0;
        var amps = ring.Feeder.Current(1, lit, volts, now);
        return new CircuitReading([volts], [amps], ring.Feeder.PowerKw([volts], [amps]), lit);
    }
}
