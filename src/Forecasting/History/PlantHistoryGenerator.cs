using Telemetry.Forecasting.Batteries;
using Telemetry.Forecasting.Insulation;
using Telemetry.Forecasting.Lamps;
using Telemetry.Forecasting.Numerics;

namespace Telemetry.Forecasting.History;

/// <summary>
/// Generates years of a plant's readings with the physics of <see cref="PlantPhysics"/>, and the truth beside them.
/// The same settings give the same history: each asset draws from its own generator seeded by the run's seed and
/// its id, and the site's weather from one seeded by the run's seed.
/// </summary>
public static class PlantHistoryGenerator
{
    /// <summary>The site's local time (UTC+8): readings are taken at fixed local hours.</summary>
    public static readonly TimeSpan SiteOffset = TimeSpan.FromHours(8);

    private const double RatedMinutes = 90;
    private const double CutoffVolts = 21.0;
    private const int TruthYearsAfterEnd = 15;

    public static PlantHistory Generate(HistorySettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var weather = new SiteWeather(settings);
        var batteries = Enumerable.Range(1, settings.Batteries).Select(i => Battery($"eps-{i:D3}", settings)).ToList();
        var boxes = Enumerable.Range(1, settings.Circuits).Select(i => Box($"box-{i:D3}", settings, weather)).ToList();
        var groups = Enumerable.Range(0, settings.Circuits).Select(i => Lamps($"sc-{(i / 4) + 1:D2}", (i % 4) + 1, settings.LampsPerCircuit, settings, weather))
            .Concat(Enumerable.Range(1, settings.Masts).Select(i => Lamps($"mast-{i:D2}", null, settings.LampsPerMast, settings, weather)))
            .ToList();
        return new PlantHistory(
            new PlantObservations(settings.Start, settings.End, settings.Latitude, [.. batteries.Select(b => b.Record)], [.. boxes.Select(b => b.Record)], [.. groups.Select(g => g.Record)]),
            batteries.ToDictionary(b => b.Truth.Device, b => b.Truth),
            boxes.ToDictionary(b => b.Truth.Device, b => b.Truth),
            groups.ToDictionary(g => g.Truth.Asset, g => g.Truth));
    }

    private static (BatteryRecord Record, BatteryTruth Truth) Battery(string device, HistorySettings settings)
    {
        var random = RandomFor(settings.Seed, device);
        var installed = settings.Start.AddDays(-random.NextDouble() * 4 * 365.25).Date;
        var installedAt = new DateTimeOffset(installed, TimeSpan.Zero);
        // Plant rooms differ: some are cool, some sit under a roof in the sun.
        var meanTemperature = 15 + (20 * random.NextDouble());
        var fade = PlantPhysics.FadePerYear(meanTemperature, Math.Exp(0.2 * Gaussian(random)));
        double Health(DateTimeOffset time) => 1 - (fade * (time - installedAt).TotalDays / LinearTrend.DaysPerYear);
        var endOfLife = installedAt.AddDays((1 - (1 / PlantPhysics.RuntimeMargin)) / fade * LinearTrend.DaysPerYear);

        var tests = new List<BatteryTest>();
        // Full discharge yearly on a fixed day of the unit's year, one-hour runs three and nine months after it.
        var firstTest = settings.Start.AddDays(random.Next(365)).AddHours(2);
        for (var year = firstTest; year < settings.End; year = year.AddYears(1))
        {
            foreach (var (time, kind) in new[] { (year, BatteryTestKind.FullDuration), (year.AddMonths(3), BatteryTestKind.OneHour), (year.AddMonths(9), BatteryTestKind.OneHour) })
            {
                if (time >= settings.End)
                {
                    continue;
                }

                // A test's runtime varies by a few percent with temperature and how full the charger left the battery.
                var full = PlantPhysics.FullRuntimeMinutes(RatedMinutes, Health(time)) * (1 + (0.015 * Gaussian(random)));
                var planned = kind == BatteryTestKind.FullDuration ? RatedMinutes : 60;
                var runtime = Math.Min(planned, full);
                var volts = runtime < planned ? CutoffVolts : PlantPhysics.DischargeVolts(runtime / full, CutoffVolts) + (0.02 * Gaussian(random));
                // The gateway reports whole seconds.
                tests.Add(new BatteryTest(time, kind, Math.Round(runtime * 60) / 60, Math.Round(volts, 2)));
            }
        }

        var temperatures = new List<Observation>();
        for (var day = settings.Start.AddHours(6); day < settings.End; day = day.AddDays(7))
        {
            var season = 6 * Math.Cos(2 * Math.PI * (day.DayOfYear - 200) / 365.25);
            temperatures.Add(new Observation(day, Math.Round(meanTemperature + season + (1.5 * Gaussian(random)), 1)));
        }

        return (new BatteryRecord(device, installedAt, RatedMinutes, CutoffVolts, [.. tests.OrderBy(t => t.Time)], temperatures),
            new BatteryTruth(device, fade, meanTemperature, endOfLife));
    }

    private static (InsulationRecord Record, InsulationTruth Truth) Box(string device, HistorySettings settings, SiteWeather weather)
    {
        var random = RandomFor(settings.Seed, device);
        var installed = settings.Start.AddDays(-random.NextDouble() * 8 * 365.25);
        var newMohm = PlantPhysics.NewInsulationMohm * Math.Exp(0.3 * Gaussian(random));
        // Most cables age slowly; some have damaged sheaths or wet joints and fall within years.
        var ageingYears = random.NextDouble() < 0.5 ? 0.5 + (2.0 * random.NextDouble()) : 8 * Math.Exp(0.2 * Gaussian(random));
        double True(int dayIndex) => PlantPhysics.InsulationMohm(newMohm, (weather.Day(dayIndex).AddHours(12) - installed).TotalDays / LinearTrend.DaysPerYear, ageingYears, weather.Humidity(dayIndex));

        var readings = new List<Observation>(weather.HistoryDays);
        var crosses = DateTimeOffset.MaxValue;
        for (var day = 0; day < weather.TotalDays; day++)
        {
            var value = True(day);
            // One reading a day at local noon (the truth is taken at the same hour).
            var time = weather.Day(day).AddHours(12);
            if (crosses == DateTimeOffset.MaxValue && value < settings.InsulationLimitMohm && time >= installed)
            {
                crosses = time;
            }

            if (day < weather.HistoryDays)
            {
                // A megger reads to 0.01 MΩ and tops out at 655.35 MΩ; readings scatter by a couple of percent.
                var read = Math.Clamp(Math.Round(value * Math.Exp(0.02 * Gaussian(random)), 2), 0.01, 655.35);
                readings.Add(new Observation(time, read));
            }
            else if (crosses != DateTimeOffset.MaxValue)
            {
                break;
            }
        }

        return (new InsulationRecord(device, readings), new InsulationTruth(device, newMohm, ageingYears, crosses));
    }

    private static (LampGroupRecord Record, LampGroupTruth Truth) Lamps(string device, int? circuit, int installed, HistorySettings settings, SiteWeather weather)
    {
        var asset = circuit is { } c ? $"{device}/{c}" : device;
        var random = RandomFor(settings.Seed, asset);
        const double Shape = 2.5, ScaleHours = 20_000;
        double Lifetime() => ScaleHours * Math.Pow(-Math.Log(1 - random.NextDouble()), 1 / Shape);

        // Lamps burn from commissioning (up to 8 years before the history), so the plant starts with lamps of all ages.
        var commissioned = -(int)(random.NextDouble() * 8 * 365.25);
        var lamps = Enumerable.Range(0, installed).Select(_ => weather.FailureDay(commissioned, Lifetime())).ToArray();
        var dark = new bool[installed];
        var lit = new List<Observation>(weather.HistoryDays);
        var replaced = new List<Observation>();
        var failures = new List<DateTimeOffset>();
        for (var day = commissioned; day < weather.HistoryDays; day++)
        {
            var date = weather.Day(day);
            // Relamping on the first of each month: every dark lamp is refitted with a new one.
            if ((date + SiteOffset).Day == 1 && dark.Any(d => d))
            {
                var count = 0;
                for (var i = 0; i < installed; i++)
                {
                    if (dark[i])
                    {
                        dark[i] = false;
                        lamps[i] = weather.FailureDay(day, Lifetime());
                        count++;
                    }
                }

                if (day >= 0)
                {
                    replaced.Add(new Observation(date.AddHours(10), count));
                }
            }

            for (var i = 0; i < installed; i++)
            {
                if (!dark[i] && lamps[i] <= day)
                {
                    dark[i] = true;
                    if (day >= 0)
                    {
                        failures.Add(date);
                    }
                }
            }

            if (day >= 0)
            {
                lit.Add(new Observation(date.AddHours(20), installed - dark.Count(d => d)));
            }
        }

        return (new LampGroupRecord(device, circuit, installed, lit, replaced), new LampGroupTruth(asset, failures));
    }

    private static Random RandomFor(int seed, string id)
    {
        var hash = 14695981039346656037UL;
        foreach (var ch in id)
        {
            hash = (hash ^ ch) * 1099511628211UL;
        }

        return new Random((int)(hash ^ (hash >> 32)) ^ seed);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>
    /// The site's days (as midnight, local) and their weather: humidity with a wet summer and a wandering
    /// day-to-day anomaly, and night lengths for burning hours, from eight years before the history to long after it.
    /// </summary>
    private sealed class SiteWeather
    {
        private const int DaysBefore = 9 * 366;
        private readonly DateTimeOffset start;
        private readonly double[] humidity;
        private readonly double[] burningHours;

        public SiteWeather(HistorySettings settings)
        {
            start = new DateTimeOffset(settings.Start.Date, TimeSpan.Zero) - SiteOffset;
            HistoryDays = (int)(settings.End - settings.Start).TotalDays;
            TotalDays = HistoryDays + (TruthYearsAfterEnd * 366);
            var random = new Random(settings.Seed);
            humidity = new double[TotalDays];
            var anomaly = 0.0;
            for (var day = 0; day < TotalDays; day++)
            {
                anomaly = (0.9 * anomaly) + (4 * Math.Sqrt(1 - 0.81) * Gaussian(random));
                humidity[day] = Math.Clamp(68 + (10 * Math.Cos(2 * Math.PI * ((Day(day) + SiteOffset).DayOfYear - 190) / 365.25)) + anomaly, 20, 100);
            }

            burningHours = new double[DaysBefore + TotalDays + 1];
            for (var day = -DaysBefore; day < TotalDays; day++)
            {
                burningHours[day + DaysBefore + 1] = burningHours[day + DaysBefore] + PlantPhysics.NightHours(DateOnly.FromDateTime((Day(day) + SiteOffset).DateTime), settings.Latitude);
            }
        }

        public int HistoryDays { get; }

        public int TotalDays { get; }

        /// <summary>Local midnight of day <paramref name="index"/> from the history's start, as a UTC instant.</summary>
        public DateTimeOffset Day(int index) => start.AddDays(index);

        public double Humidity(int day) => humidity[day];

        /// <summary>The day a lamp fitted on <paramref name="fitted"/> has burned <paramref name="hours"/>.</summary>
        public int FailureDay(int fitted, double hours)
        {
            var target = burningHours[fitted + DaysBefore] + hours;
            var index = Array.BinarySearch(burningHours, target);
            index = index < 0 ? ~index : index;
            return index >= burningHours.Length ? int.MaxValue : index - DaysBefore;
        }
    }
}
