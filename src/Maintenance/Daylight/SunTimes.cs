namespace Telemetry.Maintenance.Daylight;

/// <summary>
/// Sunrise and sunset of one solar day at one place, in UTC.
/// </summary>
/// <param name="Date">
/// The day as counted at the place's own meridian (local mean solar time), which is the civil date of the place
/// everywhere the time zone keeps within a few hours of the sun. Far from Greenwich the events fall on another UTC
/// day: Shanghai's sunrise of 21 June is about 20:50 UTC on 20 June.
/// </param>
/// <param name="Sunrise">Upper limb on the horizon in the morning (zenith 90.833°), or null on a polar day or night.</param>
/// <param name="Sunset">Upper limb on the horizon in the evening, or null on a polar day or night.</param>
/// <param name="PolarDay">The sun stays above the horizon all day.</param>
/// <param name="PolarNight">The sun stays below the horizon all day.</param>
public sealed record SunTimes(DateOnly Date, DateTimeOffset? Sunrise, DateTimeOffset? Sunset, bool PolarDay, bool PolarNight);
