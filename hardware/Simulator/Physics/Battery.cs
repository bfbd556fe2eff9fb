namespace Telemetry.Simulator.Physics;

/// <summary>What the charger is doing, as <c>charge_state</c> labels it.</summary>
public enum ChargeState
{
    Off,
    Bulk,
    Absorption,
    Float,
    Discharging,
    Fault,
}

/// <summary>
/// A 24 V lead-acid emergency battery. Its full runtime is the rated duration × a margin × its state of health,
/// so an aged battery runs out before the rated duration; the voltage follows a discharge curve from 25.6 V
/// down to the cut-off voltage at empty (flat plateau, then the knee).
/// </summary>
public sealed class Battery
{
    private const double LoadedStartVolts = 25.6;
    private const double CapacityAh = 40;

    public Battery(double ratedMinutes, double cutoffVolts, double health, double runtimeMargin)
    {
        RatedMinutes = ratedMinutes;
        CutoffVolts = cutoffVolts;
        Health = health;
        RuntimeMargin = runtimeMargin;
    }

    public double RatedMinutes { get; }

    public double CutoffVolts { get; }

    public double RuntimeMargin { get; }

    /// <summary>State of health: the fraction of its new capacity the battery still holds.</summary>
    public double Health { get; set; }

    /// <summary>State of charge, 0 (cut off) to 1 (full).</summary>
    public double StateOfCharge { get; private set; } = 1;

    /// <summary>How long a full battery supplies the load.</summary>
    public TimeSpan FullRuntime => TimeSpan.FromMinutes(RatedMinutes * RuntimeMargin * Math.Max(Health, 0.001));

    /// <summary>How long the battery supplies the load from its present charge.</summary>
    public TimeSpan RemainingRuntime => FullRuntime * StateOfCharge;

    public bool IsEmpty => StateOfCharge <= 0;

    /// <summary>The emergency load the unit supplies from the battery, in watts.</summary>
    public double LoadWatts { get; init; } = 600;

    /// <summary>Load current while discharging (negative: out of the battery).</summary>
    public double DischargeCurrent(double volts) => -LoadWatts / Math.Max(volts, 1);

    /// <summary>Supplies the load for <paramref name="step"/>.</summary>
    public void Discharge(TimeSpan step) => StateOfCharge = Math.Max(0, StateOfCharge - (step / FullRuntime));

    /// <summary>Recharges for <paramref name="step"/>: bulk at a constant 0.1 C of the new capacity to 80 % (an aged battery fills sooner), then absorption.</summary>
    public void Charge(TimeSpan step)
    {
        var hours = step.TotalHours;
        var rate = StateOfCharge < 0.8 ? 0.1 / Math.Max(Health, 0.05) : 0.1;
        StateOfCharge = Math.Min(1, StateOfCharge + (rate * hours));
    }

    /// <summary>Battery voltage while supplying the load.</summary>
    public double DischargeVoltage()
    {
        var depth = 1 - StateOfCharge;
        return CutoffVolts + ((LoadedStartVolts - CutoffVolts) * (1 - (0.48 * depth) - (0.52 * Math.Pow(depth, 8))));
    }

    /// <summary>Battery voltage on the charger, or at rest after a cut-off.</summary>
    public double ChargingVoltage(ChargeState state) => state switch
    {
        ChargeState.Bulk => 25.4 + (2.6 * StateOfCharge / 0.8),
        ChargeState.Absorption => 28.2,
        ChargeState.Float => 27.2,
        _ => CutoffVolts + 1.2 + (3 * StateOfCharge),
    };

    /// <summary>Charging current: 0.1 C in bulk, tapering in absorption, a trickle on float.</summary>
    public double ChargingCurrent(ChargeState state) => state switch
    {
        ChargeState.Bulk => CapacityAh * 0.1,
        ChargeState.Absorption => CapacityAh * 0.1 * Math.Max(0.05, (1 - StateOfCharge) / 0.2),
        ChargeState.Float => 0.15,
        _ => 0,
    };

    /// <summary>The charger's state when on mains.</summary>
    public ChargeState ChargerState => StateOfCharge switch
    {
        < 0.8 => ChargeState.Bulk,
        < 0.999 => ChargeState.Absorption,
        _ => ChargeState.Float,
    };
}
