using System.Globalization;
using Telemetry.Devices.Decoding;
using Telemetry.Devices.Sites;
using Telemetry.Simulator.Faults;
using Telemetry.Simulator.Physics;

namespace Telemetry.Simulator.Plant;

/// <summary>
/// An LV distribution box: a three-phase meter whose load follows the lighting schedule, an insulation and
/// residual-current monitor (insulation falls with age and humidity), an earth-resistance clamp, breakers and
/// a surge protector.
/// </summary>
public sealed class DistributionBoxDevice : SimulatedDevice
{
    private const int OutgoingBreakers = 8;
    private readonly Supply supply;
    private readonly double[] baseAmps = new double[3];
    private readonly double[] lightingAmps = new double[3];
    private readonly double ageYears;
    private readonly double baseLeakageMa;
    private readonly double earthOhm;
    private readonly string serial;
    private double energyKwh;

    public DistributionBoxDevice(SiteDevice definition, DeviceContext context, DateTimeOffset now)
        : base(definition, context, now)
    {
        supply = new Supply(Noise, context.Settings.NominalVoltage);
        for (var i = 0; i < 3; i++)
        {
            baseAmps[i] = 1 + (2 * Random.NextDouble());
            lightingAmps[i] = 8 + (12 * Random.NextDouble());
        }

        ageYears = 1 + (14 * Random.NextDouble());
        baseLeakageMa = 2 + (4 * Random.NextDouble());
        earthOhm = 1.2 + (2.3 * Random.NextDouble());
        energyKwh = Random.Next(10_000, 400_000) + Random.NextDouble();
        serial = string.Create(CultureInfo.InvariantCulture, $"AK3{StableHash.Of(definition.Id) % 100_000:D5}");
        SetSetting("leakage_alarm_threshold_ma", 30.0);
    }

    /// <summary>Age of the installation at the start, which sets its insulation resistance.</summary>
    public double AgeYears => ageYears;

    protected override void Step(DateTimeOffset now, TimeSpan step)
    {
        supply.Present = SupplyPresent;
        energyKwh += Meter(now).PowerKw * step.TotalHours;
    }

    protected override void Report(DeviceValues values, DateTimeOffset now)
    {
        var meter = Meter(now);
        for (var phase = 1; phase <= 3; phase++)
        {
            values.Set($"voltage_l{phase}_v", meter.Volts[phase - 1]);
            values.Set($"current_l{phase}_a", meter.Amps[phase - 1]);
        }

        values.Set("power_kw", meter.PowerKw);
        values.Set("power_factor", meter.PowerKw > 0.01 ? 0.93 + (0.02 * Noise.Smooth("pf", now, TimeSpan.FromMinutes(7))) : 0);
        values.Set("energy_kwh", energyKwh);

        var insulation = InsulationMohm(now);
        var residual = Faults.Find(FaultKind.HighLeakage)?.Ma is { } ma
            ? ma * (1 + (0.02 * Noise.Smooth("leak", now, TimeSpan.FromMinutes(2))))
            : Insulation.ResidualCurrentMa(baseLeakageMa, Context.Climate.Humidity(now), insulation, supply.Present ? Context.Settings.NominalVoltage : 0)
              + (0.3 * Noise.Smooth("leak", now, TimeSpan.FromMinutes(2)));
        values.Set("residual_current_ma", supply.Present ? residual : 0);
        values.Set("insulation_mohm", insulation);
        values.Set("earth_resistance_ohm", EarthOhm(now));
        values.Set("enclosure_temperature_c", Context.Climate.AirTemperature(now) + 5 + (meter.PowerKw * 0.2) + Noise.Smooth("box", now, TimeSpan.FromMinutes(10)));

        var tripped = Faults.Find(FaultKind.BreakerTrip)?.Breaker;
        values.Set("breaker_main_closed", tripped != 0);
        for (var n = 1; n <= OutgoingBreakers; n++)
        {
            values.Set($"breaker_{n}_closed", tripped != n);
        }

        values.Set("breakers_closed", (long)(tripped is >= 1 and <= OutgoingBreakers ? OutgoingBreakers - 1 : OutgoingBreakers));
        values.Set("surge_protector_failed", Faults.Has(FaultKind.SurgeProtectorFailed));
        values.Set("door_open", Faults.Has(FaultKind.DoorOpen));
        values.Set("supply_present", supply.Present);
        var threshold = Setting("leakage_alarm_threshold_ma")?.AsReal ?? 30;
        values.Set("leakage_alarm", supply.Present && residual >= threshold);
        values.Set("device_serial", serial);
    }

    protected override bool Command(string name, int? circuit, PointValue value, DateTimeOffset now) => false;

    /// <summary>Insulation resistance now: the fault's value if injected, else ageing and humidity.</summary>
    public double InsulationMohm(DateTimeOffset now)
    {
        if (Faults.Find(FaultKind.LowInsulation)?.Mohm is { } mohm)
        {
            return mohm * (1 + (0.01 * Noise.Smooth("ins", now, TimeSpan.FromMinutes(5))));
        }

        var age = ageYears + ((now - Context.Start).TotalDays / 365.25);
        return Insulation.ResistanceMohm(Context.Settings.NewInsulationMohm, age, Context.Settings.InsulationAgeingYears, Context.Climate.Humidity(now));
    }

    private double EarthOhm(DateTimeOffset now)
    {
        if (Faults.Find(FaultKind.HighEarthResistance)?.Ohm is { } ohm)
        {
            return ohm;
        }

        // Dry soil conducts worse.
        var dryness = (60 - Context.Climate.Humidity(now)) / 40;
        return earthOhm * (1 + (0.15 * dryness));
    }

    private CircuitReading Meter(DateTimeOffset now)
    {
        var lighting = Context.Schedule.IsOn(now);
        var tripped = Faults.Find(FaultKind.BreakerTrip)?.Breaker;
        var volts = new double[3];
        var amps = new double[3];
        var watts = 0.0;
        for (var i = 0; i < 3; i++)
        {
            volts[i] = supply.Voltage(i + 1, now);
            if (!supply.Present || tripped == 0)
            {
                amps[i] = 0;
                continue;
            }

            var outgoingShare = tripped is null ? 1 : 1 - (1.0 / OutgoingBreakers);
            amps[i] = (baseAmps[i] + (lighting ? lightingAmps[i] : 0)) * outgoingShare * (1 + (0.03 * Noise.Smooth($"i{i}", now, TimeSpan.FromMinutes(4))));
            watts += volts[i] * amps[i] * 0.93;
        }

        return new CircuitReading(volts, amps, watts / 1000, 0);
    }
}
