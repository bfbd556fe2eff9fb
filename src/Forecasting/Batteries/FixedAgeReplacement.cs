using Telemetry.Forecasting.History;

namespace Telemetry.Forecasting.Batteries;

/// <summary>
/// The naive policy a forecast must beat: every battery reaches its end of life at the same age, the nominal
/// life of a battery fading at the nominal rate (about 4.6 years).
/// </summary>
public static class FixedAgeReplacement
{
    public static readonly TimeSpan NominalLife = TimeSpan.FromDays((1 - (1 / PlantPhysics.RuntimeMargin)) / PlantPhysics.HealthLossPerYear * 365.25);

    public static DateTimeOffset EndOfLife(BatteryRecord battery)
    {
        ArgumentNullException.ThrowIfNull(battery);
        return battery.Installed + NominalLife;
    }
}
