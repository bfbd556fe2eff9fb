using Telemetry.Devices.Decoding;
using Telemetry.Devices.Sites;
using Telemetry.Modbus;
using Telemetry.Simulator.Control;
using Telemetry.Simulator.Faults;
using Telemetry.Simulator.Physics;

namespace Telemetry.Simulator.Plant;

/// <summary>
/// A light/time controller: a real-time clock that drifts, a photocell, and outputs switched by time,
/// astronomical clock and/or lux in the controller's own local time. Two kinds of clock registers exist:
/// a calendar in local time (one register per field) or Unix seconds with a UTC offset.
/// </summary>
public sealed class LightTimeControllerDevice : SimulatedDevice
{
    private static readonly string[] CalendarFields = ["clock_year", "clock_month", "clock_day", "clock_hour", "clock_minute", "clock_second"];
    private readonly List<TimeSwitchProgram> outputs = [];
    private readonly Supply supply;
    private readonly bool modeless;
    private readonly double defaultPpm;
    private double latitude;
    private double longitude;
    private int utcOffsetMinutes;

    public LightTimeControllerDevice(SiteDevice definition, DeviceContext context, DateTimeOffset now)
        : base(definition, context, now)
    {
        supply = new Supply(Noise, context.Settings.NominalVoltage);
        defaultPpm = (Random.NextDouble() * 8) - 4;
        Clock = new DriftingClock(now, TimeSpan.FromSeconds((Random.NextDouble() * 6) - 3), defaultPpm);
        modeless = !Has("schedule_mode", perCircuit: true);
        latitude = definition.Location?.Latitude ?? context.Climate.Latitude;
        longitude = definition.Location?.Longitude ?? context.Climate.Longitude;
        utcOffsetMinutes = (int)context.Climate.UtcOffset(now).TotalMinutes;
        for (var k = 1; k <= CircuitCount; k++)
        {
            outputs.Add(DefaultProgram(k));
        }
    }

    public DriftingClock Clock { get; }

    public IReadOnlyList<TimeSwitchProgram> Outputs => outputs;

    /// <summary>The controller's idea of local wall time: its clock shifted by its UTC offset (calendar models: the site's zone).</summary>
    public DateTime LocalTime(DateTimeOffset now) => modeless
        ? TimeZoneInfo.ConvertTime(Clock.Shown(now), Context.Climate.TimeZone).DateTime
        : Clock.Shown(now).UtcDateTime.AddMinutes(utcOffsetMinutes);

    public override ModbusExceptionCode? Check(IReadOnlyList<WrittenValue> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (!values.Any(v => CalendarFields.Contains(v.Name)))
        {
            return null;
        }

        // Fields written together are applied in order, so a write of the whole calendar may pass through no invalid date.
        return ApplyCalendar(LocalTime(Time), values) is null ? ModbusExceptionCode.IllegalDataValue : null;
    }

    protected override void Step(DateTimeOffset now, TimeSpan step)
    {
        supply.Present = SupplyPresent;
        var local = LocalTime(now);
        var (sunset, sunrise) = SunTimes(local);
        var lux = Lux(now);
        foreach (var output in outputs)
        {
            output.Evaluate(local.TimeOfDay.TotalMinutes, lux, sunset, sunrise, modeless);
        }
    }

    protected override void Report(DeviceValues values, DateTimeOffset now)
    {
        var local = LocalTime(now);
        values.Set("clock_year", (long)local.Year);
        values.Set("clock_month", (long)local.Month);
        values.Set("clock_day", (long)local.Day);
        values.Set("clock_hour", (long)local.Hour);
        values.Set("clock_minute", (long)local.Minute);
        values.Set("clock_second", (long)local.Second);
        values.Set("clock_weekday", (long)local.DayOfWeek);
        values.Set("clock_unix_s", (double)Clock.Shown(now).ToUnixTimeSeconds());
        values.Set("utc_offset_min", (double)utcOffsetMinutes);
        values.Set("latitude", latitude);
        values.Set("longitude", longitude);
        values.Set("ambient_lux", Lux(now));
        values.Set("supply_voltage_v", Math.Round(supply.Voltage(1, now)));
        var (sunset, sunrise) = SunTimes(local);
        values.Set("sunset_min", (double)sunset);
        values.Set("sunrise_min", (double)sunrise);
        for (var k = 1; k <= outputs.Count; k++)
        {
            var output = outputs[k - 1];
            values.Set("output_on", supply.Present && output.IsOn, k);
            values.Set("schedule_mode", (long)output.Mode, k);
            values.Set("on_time_min", (double)output.OnMinute, k);
            values.Set("off_time_min", (double)output.OffMinute, k);
            values.Set("lux_on_threshold_lux", output.LuxThreshold, k);
            values.Set("astro_offset_min", (double)output.AstronomicalOffset, k);
        }
    }

    protected override bool Command(string name, int? circuit, PointValue value, DateTimeOffset now)
    {
        var output = circuit is { } k && k <= outputs.Count ? outputs[k - 1] : null;
        switch (name)
        {
            case "clock_year" or "clock_month" or "clock_day" or "clock_hour" or "clock_minute" or "clock_second":
                if (ApplyCalendar(LocalTime(now), [new WrittenValue(Profile.FindPoint(name)!, name, value)]) is { } local)
                {
                    var offset = Context.Climate.TimeZone.GetUtcOffset(local);
                    Clock.Set(new DateTimeOffset(local, offset), now);
                }

                break;
            case "clock_unix_s":
                Clock.Set(DateTimeOffset.FromUnixTimeSeconds((long)value.AsReal), now);
                break;
            case "utc_offset_min":
                utcOffsetMinutes = (int)value.AsReal;
                break;
            case "latitude":
                latitude = value.AsReal;
                break;
            case "longitude":
                longitude = value.AsReal;
                break;
            case "output_on" when output is not null:
                output.Force(value.AsBoolean);
                break;
            case "schedule_mode" when output is not null:
                output.Mode = (OutputMode)value.AsInteger;
                break;
            case "on_time_min" when output is not null:
                output.OnMinute = (int)value.AsReal;
                break;
            case "off_time_min" when output is not null:
                output.OffMinute = (int)value.AsReal;
                break;
            case "lux_on_threshold_lux" when output is not null:
                output.LuxThreshold = value.AsReal;
                break;
            case "astro_offset_min" when output is not null:
                output.AstronomicalOffset = (int)value.AsReal;
                break;
            default:
                return false;
        }

        Step(now, TimeSpan.Zero);
        return true;
    }

    protected override void OnFaultsChanged(Fault fault, Fault? replaced, bool cleared)
    {
        if (fault.Kind != FaultKind.ClockDrift)
        {
            return;
        }

        if (cleared)
        {
            // Clearing the fault stands for a crew setting the clock right.
            Clock.Set(Time, Time);
            Clock.SetDrift(defaultPpm, Time);
            return;
        }

        if (fault.OffsetS is { } offset)
        {
            Clock.Jump(TimeSpan.FromSeconds(offset), Time);
        }

        Clock.SetDrift(fault.Ppm ?? Clock.Ppm, Time);
    }

    private static DateTime? ApplyCalendar(DateTime local, IReadOnlyList<WrittenValue> values)
    {
        int year = local.Year, month = local.Month, day = local.Day, hour = local.Hour, minute = local.Minute, second = local.Second;
        foreach (var value in values)
        {
            var number = (int)value.Value.AsReal;
            switch (value.Name)
            {
                case "clock_year": year = number; break;
                case "clock_month": month = number; break;
                case "clock_day": day = number; break;
                case "clock_hour": hour = number; break;
                case "clock_minute": minute = number; break;
                case "clock_second": second = number; break;
            }
        }

        if (year is < 1 or > 9999 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour is < 0 or > 23 || minute is < 0 or > 59 || second is < 0 or > 59)
        {
            return null;
        }

        return new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified);
    }

    private TimeSwitchProgram DefaultProgram(int output)
    {
        if (modeless)
        {
            // A plain time switch: evening/night on output 1, evening only on output 2 (with the photocell as backstop).
            return output == 1
                ? new TimeSwitchProgram { OnMinute = 18 * 60 + 30, OffMinute = 6 * 60 + 30 }
                : new TimeSwitchProgram { OnMinute = 19 * 60, OffMinute = 23 * 60, LuxThreshold = 10 };
        }

        return output switch
        {
            1 => new TimeSwitchProgram { Mode = OutputMode.Astronomical },
            2 => new TimeSwitchProgram { Mode = OutputMode.Time, OnMinute = 18 * 60, OffMinute = 23 * 60 + 30 },
            3 => new TimeSwitchProgram { Mode = OutputMode.Lux, LuxThreshold = 15 },
            _ => new TimeSwitchProgram { Mode = OutputMode.TimeAndLux, OnMinute = 17 * 60, OffMinute = 7 * 60, LuxThreshold = 20 },
        };
    }

    private (int Sunset, int Sunrise) SunTimes(DateTime local)
    {
        var offset = modeless ? Context.Climate.TimeZone.GetUtcOffset(local) : TimeSpan.FromMinutes(utcOffsetMinutes);
        if (SolarPosition.SunriseSunset(DateOnly.FromDateTime(local), latitude, longitude, offset) is not { } sun)
        {
            return (18 * 60, 6 * 60);
        }

        int Minutes(DateTimeOffset instant) => (int)(((instant.UtcDateTime + offset).TimeOfDay.TotalMinutes + 1440) % 1440);
        return (Minutes(sun.Sunset), Minutes(sun.Sunrise));
    }

    private double Lux(DateTimeOffset now) =>
        Context.Climate.Lux(now) * (1 + (0.05 * Noise.Smooth("photocell", now, TimeSpan.FromMinutes(3))));
}
