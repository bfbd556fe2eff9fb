namespace Telemetry.Simulator.Physics;

/// <summary>The constants of the simulated plant (configuration section <c>Simulator:Physics</c>).</summary>
public sealed class PhysicsSettings
{
    /// <summary>Mean time between failures of one lamp, in hours (LED lanterns: tens of thousands).</summary>
    public double LampMtbfHours { get; set; } = 50_000;

    /// <summary>Rated power of a street lamp, in watts.</summary>
    public double StreetLampWatts { get; set; } = 200;

    /// <summary>Rated power of a high-mast lamp, in watts.</summary>
    public double MastLampWatts { get; set; } = 320;

    /// <summary>Power factor of a lit lamp's driver.</summary>
    public double LampPowerFactor { get; set; } = 0.92;

    /// <summary>Nominal phase voltage, in volts.</summary>
    public double NominalVoltage { get; set; } = 230;

    public double MeanTemperatureC { get; set; } = 14;

    public double DailyTemperatureSwingC { get; set; } = 9;

    public double MeanHumidityPercent { get; set; } = 68;

    /// <summary>Insulation resistance of a new installation, in MΩ.</summary>
    public double NewInsulationMohm { get; set; } = 400;

    /// <summary>Years over which insulation resistance falls by a factor e.</summary>
    public double InsulationAgeingYears { get; set; } = 8;

    /// <summary>Minutes a new, fully charged emergency battery supplies its load, relative to the rated duration.</summary>
    public double BatteryRuntimeMargin { get; set; } = 1.3;

    /// <summary>Loss of battery capacity per year of age (state of health = 1 − rate × years).</summary>
    public double BatteryHealthLossPerYear { get; set; } = 0.05;

    /// <summary>How long a function test runs.</summary>
    public TimeSpan FunctionTestDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a lamp ring takes from bottom to top.</summary>
    public TimeSpan LiftTravelTime { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>Largest step of the physics; longer advances are taken in steps of this size.</summary>
    public TimeSpan MaxStep { get; set; } = TimeSpan.FromSeconds(10);

    public IEnumerable<string> Validate()
    {
        if (!(LampMtbfHours > 0))
        {
            yield return $"Simulator:Physics:LampMtbfHours {LampMtbfHours} must be positive";
        }

        if (!(StreetLampWatts > 0) || !(MastLampWatts > 0))
        {
            yield return "Simulator:Physics lamp watts must be positive";
        }

        if (LampPowerFactor is <= 0 or > 1)
        {
            yield return $"Simulator:Physics:LampPowerFactor {LampPowerFactor} must be in (0, 1]";
        }

        if (NominalVoltage is < 100 or > 500)
        {
            yield return $"Simulator:Physics:NominalVoltage {NominalVoltage} must be 100-500 V";
        }

        if (BatteryRuntimeMargin is <= 0 or > 5)
        {
            yield return $"Simulator:Physics:BatteryRuntimeMargin {BatteryRuntimeMargin} must be in (0, 5]";
        }

        if (MaxStep <= TimeSpan.Zero || MaxStep > TimeSpan.FromMinutes(10))
        {
            yield return $"Simulator:Physics:MaxStep {MaxStep} must be positive and at most 10 minutes";
        }
    }
}
