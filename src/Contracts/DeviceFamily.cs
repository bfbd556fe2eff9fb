using System.Text.Json.Serialization;

namespace Telemetry.Contracts;

/// <summary>The five kinds of plant the product monitors; the InfluxDB measurement of their readings.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DeviceFamily>))]
public enum DeviceFamily
{
    [JsonStringEnumMemberName("street_controller")]
    StreetController,

    [JsonStringEnumMemberName("high_mast")]
    HighMast,

    [JsonStringEnumMemberName("distribution_box")]
    DistributionBox,

    [JsonStringEnumMemberName("emergency_battery")]
    EmergencyBattery,

    [JsonStringEnumMemberName("light_time_controller")]
    LightTimeController,
}

public static class DeviceFamilyNames
{
    /// <summary>The contract's name of the family, e.g. <c>high_mast</c>.</summary>
    public static string ToContractName(this DeviceFamily family) => family switch
    {
        DeviceFamily.StreetController => "street_controller",
        DeviceFamily.HighMast => "high_mast",
        DeviceFamily.DistributionBox => "distribution_box",
        DeviceFamily.EmergencyBattery => "emergency_battery",
        DeviceFamily.LightTimeController => "light_time_controller",
        _ => throw new ArgumentOutOfRangeException(nameof(family), family, "unknown device family"),
    };

    public static bool TryParse(string name, out DeviceFamily family)
    {
        foreach (var candidate in Enum.GetValues<DeviceFamily>())
        {
            if (candidate.ToContractName() == name)
            {
                family = candidate;
                return true;
            }
        }

        family = default;
        return false;
    }
}
