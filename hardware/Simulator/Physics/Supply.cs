namespace Telemetry.Simulator.Physics;

/// <summary>The low-voltage supply at one point of the network: three phase voltages that wander around nominal.</summary>
public sealed class Supply
{
    private readonly DeterministicNoise noise;
    private readonly double nominal;

    public Supply(DeterministicNoise noise, double nominalVoltage)
    {
        this.noise = noise;
        nominal = nominalVoltage;
    }

    public bool Present { get; set; } = true;

    /// <summary>Voltage of phase 1..3; a few tenths of a volt of induced voltage when the supply is lost.</summary>
    public double Voltage(int phase, DateTimeOffset time)
    {
        var key = phase switch { 1 => "v1", 2 => "v2", _ => "v3" };
        if (!Present)
        {
            return 0.3 + (0.2 * noise.Smooth(key, time, TimeSpan.FromSeconds(30)));
        }

        // Slow network swing (evening peak loads pull voltage down) plus per-phase imbalance.
        return nominal * (1 + (0.012 * noise.Smooth("network", time, TimeSpan.FromMinutes(20))) + (0.006 * noise.Smooth(key, time, TimeSpan.FromMinutes(3))));
    }
}

/// <summary>
/// The metered feeder of a circuit: currents from the lamps lit on each phase, active power, and an energy
/// register that integrates power over simulated time.
/// </summary>
public sealed class Feeder
{
    private readonly DeterministicNoise noise;
    private readonly string key;
    private readonly double lampWatts;
    private readonly double powerFactor;

    public Feeder(DeterministicNoise noise, string key, double lampWatts, double powerFactor, double initialEnergyKwh)
    {
        this.noise = noise;
        this.key = key;
        this.lampWatts = lampWatts;
        this.powerFactor = powerFactor;
        EnergyKwh = initialEnergyKwh;
    }

    public double EnergyKwh { get; private set; }

    /// <summary>Current of one lit lamp at <paramref name="volts"/>: its power over volts and power factor (about 0.95 A for 200 W at 230 V).</summary>
    public double LampCurrent(double volts) => volts < 50 ? 0 : lampWatts / (volts * powerFactor);

    /// <summary>Phase current for <paramref name="lit"/> lamps on the phase, with a little meter noise; a few mA of noise when nothing is lit.</summary>
    public double Current(int phase, int lit, double volts, DateTimeOffset time)
    {
        var jitter = noise.Smooth($"{key}.i{phase}", time, TimeSpan.FromSeconds(45));
        return lit == 0 ? Math.Max(0, 0.01 + (0.01 * jitter)) : lit * LampCurrent(volts) * (1 + (0.01 * jitter));
    }

    /// <summary>Active power in kW of the given phase voltages and currents.</summary>
    public double PowerKw(IReadOnlyList<double> volts, IReadOnlyList<double> amps)
    {
        var watts = 0.0;
        for (var i = 0; i < volts.Count; i++)
        {
            watts += volts[i] * amps[i] * (amps[i] > 0.05 ? powerFactor : 0);
        }

        return watts / 1000;
    }

    public double PowerFactor(double powerKw) => powerKw > 0.01 ? powerFactor : 0;

    public void Integrate(double powerKw, TimeSpan step) => EnergyKwh += powerKw * step.TotalHours;
}
