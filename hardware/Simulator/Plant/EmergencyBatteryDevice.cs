using Telemetry.Devices.Decoding;
using Telemetry.Devices.Sites;
using Telemetry.Modbus;
using Telemetry.Simulator.Faults;
using Telemetry.Simulator.Physics;

namespace Telemetry.Simulator.Plant;

/// <summary>A test the emergency unit runs (<c>test_state</c> labels).</summary>
public enum BatteryTestKind
{
    None = 0,
    Function = 1,
    Duration = 2,
}

/// <summary>How the last test ended (<c>last_test_result</c> labels).</summary>
public enum BatteryTestResult
{
    None = 0,
    Passed = 1,
    FailedFunction = 2,
    FailedDuration = 3,
    Aborted = 4,
}

/// <summary>
/// An emergency-lighting central battery: a charger, a battery whose runtime shrinks with age, and the
/// function and duration tests. A duration test ends at the rated duration (passed) or when the battery
/// reaches its cut-off voltage first (failed); a function test passes unless the unit is faulted.
/// </summary>
public sealed class EmergencyBatteryDevice : SimulatedDevice
{
    private const double RatedMinutes = 90;
    private const double CutoffVolts = 21.0;
    private readonly double initialHealth;
    private DateTimeOffset testStarted;
    private DateTimeOffset testEnds;

    public EmergencyBatteryDevice(SiteDevice definition, DeviceContext context, DateTimeOffset now)
        : base(definition, context, now)
    {
        var age = 3 * Random.NextDouble();
        initialHealth = 1 - (context.Settings.BatteryHealthLossPerYear * age);
        Battery = new Battery(RatedMinutes, CutoffVolts, initialHealth, context.Settings.BatteryRuntimeMargin);
    }

    public Battery Battery { get; }

    public BatteryTestKind Test { get; private set; }

    public BatteryTestResult LastResult { get; private set; }

    public TimeSpan LastRuntime { get; private set; }

    private bool MainsPresent => SupplyPresent;

    private bool Discharging => Test == BatteryTestKind.Duration
        || (Test == BatteryTestKind.Function && !Faults.Has(FaultKind.FunctionTestFail))
        || (Test == BatteryTestKind.None && !MainsPresent && !Battery.IsEmpty);

    public override ModbusExceptionCode? Check(IReadOnlyList<WrittenValue> values)
    {
        ArgumentNullException.ThrowIfNull(values);

        // A test cannot start while one runs or while the unit is already on battery.
        var starts = values.Any(v => v.Name == "test_command" && v.Value.AsInteger is 1 or 2);
        return starts && (Test != BatteryTestKind.None || !MainsPresent) ? ModbusExceptionCode.ServerDeviceBusy : null;
    }

    protected override void Step(DateTimeOffset now, TimeSpan step)
    {
        var stepStart = now - step;
        if (Test != BatteryTestKind.None)
        {
            var until = now < testEnds ? now : testEnds;
            if (Discharging && until > stepStart)
            {
                Battery.Discharge(until - stepStart);
            }

            if (now >= testEnds)
            {
                Finish(testEnds);
                if (MainsPresent && !Faults.Has(FaultKind.ChargerFault))
                {
                    Battery.Charge(now - testEnds);
                }
            }

            return;
        }

        if (!MainsPresent)
        {
            Battery.Discharge(step);
        }
        else if (!Faults.Has(FaultKind.ChargerFault))
        {
            Battery.Charge(step);
        }
    }

    protected override void Report(DeviceValues values, DateTimeOffset now)
    {
        var discharging = Discharging;
        var state = Faults.Has(FaultKind.ChargerFault) && !discharging ? ChargeState.Fault
            : discharging ? ChargeState.Discharging
            : !MainsPresent ? ChargeState.Off
            : Battery.ChargerState;
        var volts = discharging ? Battery.DischargeVoltage() : Battery.ChargingVoltage(state == ChargeState.Fault ? ChargeState.Off : state);
        var amps = discharging ? Battery.DischargeCurrent(volts) : Battery.ChargingCurrent(state);
        values.Set("mains_present", MainsPresent);
        values.Set("on_battery", discharging);
        values.Set("charger_fault", Faults.Has(FaultKind.ChargerFault));
        values.Set("battery_voltage_v", volts + (0.02 * Noise.Smooth("vbat", now, TimeSpan.FromSeconds(40))));
        values.Set("battery_current_a", amps);
        values.Set("charge_state", (long)state);
        values.Set("test_state", (long)Test);
        values.Set("test_elapsed_s", Test == BatteryTestKind.None ? 0 : Math.Floor((now - testStarted).TotalSeconds));
        values.Set("last_test_result", (long)LastResult);
        values.Set("last_test_runtime_s", Math.Floor(LastRuntime.TotalSeconds));
        values.Set("battery_temperature_c", Context.Climate.AirTemperature(now) + 4 + (discharging ? 3 : 0) + Noise.Smooth("tbat", now, TimeSpan.FromMinutes(10)));
        values.Set("firmware_version", "V1.08");
        values.Set("rated_duration_min", RatedMinutes);
        values.Set("cutoff_voltage_v", CutoffVolts);
        values.Set("test_command", 0L);
    }

    protected override bool Command(string name, int? circuit, PointValue value, DateTimeOffset now)
    {
        if (name != "test_command")
        {
            return false;
        }

        switch (value.AsInteger)
        {
            case 1 when Test == BatteryTestKind.None:
                Start(BatteryTestKind.Function, now, now + Context.Settings.FunctionTestDuration);
                break;
            case 2 when Test == BatteryTestKind.None:
                // Ends at the rated duration, or earlier when the battery reaches its cut-off voltage.
                var rated = TimeSpan.FromMinutes(RatedMinutes);
                var runtime = Battery.RemainingRuntime;
                Start(BatteryTestKind.Duration, now, now + (runtime < rated ? runtime : rated));
                break;
            case 3 when Test != BatteryTestKind.None:
                LastResult = BatteryTestResult.Aborted;
                LastRuntime = now - testStarted;
                Test = BatteryTestKind.None;
                break;
        }

        return true;
    }

    protected override void OnFaultsChanged(Fault fault, Fault? replaced, bool cleared)
    {
        if (fault.Kind == FaultKind.BatteryAged)
        {
            // Clearing the fault stands for fitting a new battery.
            Battery.Health = cleared ? 1 : fault.Health ?? initialHealth;
        }
    }

    private void Start(BatteryTestKind kind, DateTimeOffset now, DateTimeOffset ends)
    {
        Test = kind;
        testStarted = now;
        testEnds = ends;
    }

    private void Finish(DateTimeOffset at)
    {
        LastRuntime = at - testStarted;
        LastResult = Test switch
        {
            BatteryTestKind.Function => Faults.Has(FaultKind.FunctionTestFail) ? BatteryTestResult.FailedFunction : BatteryTestResult.Passed,
            _ => LastRuntime < TimeSpan.FromMinutes(RatedMinutes) ? BatteryTestResult.FailedDuration : BatteryTestResult.Passed,
        };
        Test = BatteryTestKind.None;
    }
}
