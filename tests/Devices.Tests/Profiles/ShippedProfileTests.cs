using Telemetry.Contracts;
using Telemetry.Devices.Planning;
using Telemetry.Devices.Profiles;
using Xunit;

namespace Telemetry.Devices.Tests.Profiles;

public sealed class ShippedProfileTests
{
    private static readonly ProfileCatalog Catalog = ProfileLoader.LoadDirectory(RepositoryLayout.ProfilesDirectory);

    public static TheoryData<string> ProfileFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(RepositoryLayout.ProfilesDirectory, "*.json")
                     .Where(f => !f.EndsWith(ProfileLoader.SchemaFileSuffix, StringComparison.Ordinal))
                     .Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ProfileFiles))]
    public void Every_shipped_profile_loads_and_validates(string file)
    {
        var profile = ProfileLoader.LoadFile(Path.Combine(RepositoryLayout.ProfilesDirectory, file));

        Assert.Equal(Path.GetFileNameWithoutExtension(file), profile.Model);
        Assert.NotEmpty(profile.Points);
    }

    [Theory]
    [MemberData(nameof(ProfileFiles))]
    public void Every_shipped_profile_plans_within_its_limits(string file)
    {
        var profile = Catalog[Path.GetFileNameWithoutExtension(file)];

        var plan = PollPlan.For(profile);

        Assert.Equal(profile.Points.Count, plan.Requests.Sum(r => r.Points.Count));
        Assert.All(plan.Requests, r => Assert.True(r.Count <= profile.Limits.MaxLength(r.Table), $"{r} exceeds the limit"));
    }

    [Theory]
    [MemberData(nameof(ProfileFiles))]
    public void Hardware_readme_documents_every_point_of_every_profile(string file)
    {
        var readme = File.ReadAllText(RepositoryLayout.HardwareReadme);
        var profile = Catalog[Path.GetFileNameWithoutExtension(file)];

        Assert.Contains($"`{profile.Model}`", readme, StringComparison.Ordinal);
        foreach (var name in profile.Points.Where(p => p.Circuit is null or 1).SelectMany(DocumentedNames).Distinct())
        {
            Assert.True(readme.Contains($"`{name}`", StringComparison.Ordinal), $"hardware/README.md does not mention `{name}` of {profile.Model}");
        }
    }

    private static IEnumerable<string> DocumentedNames(PointDefinition point)
    {
        yield return point.Name;
        foreach (var flag in point.Bitfield?.Flags ?? [])
        {
            yield return flag.Name;
        }

        if (point.Bitfield?.Series is { } series)
        {
            yield return series.NamePattern;
            if (series.TotalName is not null)
            {
                yield return series.TotalName;
            }
        }
    }

    [Fact]
    public void Every_family_has_at_least_one_profile()
    {
        var families = Catalog.Select(p => p.Family).ToHashSet();

        Assert.Equal(Enum.GetValues<DeviceFamily>().ToHashSet(), families);
    }

    [Fact]
    public void Shipped_profiles_exercise_every_data_type_and_word_order()
    {
        var points = Catalog.SelectMany(p => p.Points).ToList();

        Assert.Equal(Enum.GetValues<DataType>().ToHashSet(), points.Select(p => p.Type).ToHashSet());
        Assert.Equal(
            Enum.GetValues<WordOrder>().ToHashSet(),
            points.Where(p => p.Length > 1).Select(p => p.WordOrder).ToHashSet());
    }

    [Fact]
    public void Street_controller_has_the_per_circuit_points_the_domain_requires()
    {
        foreach (var profile in Catalog.Where(p => p.Family == DeviceFamily.StreetController))
        {
            Assert.True(profile.CircuitCount >= 2, $"{profile.Model} has {profile.CircuitCount} circuits");
            var circuitNames = profile.Points.Where(p => p.Circuit == 1).SelectMany(p => p.ValueNames()).ToHashSet();
            var deviceNames = profile.Points.Where(p => p.Circuit is null).SelectMany(p => p.ValueNames()).ToHashSet();
            foreach (var name in new[]
                     {
                         "commanded_on", "contactor_closed", "voltage_l1_v", "voltage_l2_v", "voltage_l3_v",
                         "current_l1_a", "current_l2_a", "current_l3_a", "power_kw", "energy_kwh", "lamps_installed", "lamps_lit",
                     })
            {
                Assert.Contains(name, circuitNames);
            }

            Assert.Contains("door_open", deviceNames);
            Assert.Contains("supply_present", deviceNames);
            Assert.NotEmpty(profile.WritablePoints);
        }
    }

    [Theory]
    [InlineData(DeviceFamily.HighMast, new[] { "lamps_installed", "lamps_lit", "lamp_24_lit", "voltage_v", "current_a", "lift_motor_state", "lift_position", "lift_fault", "commanded_on" })]
    [InlineData(DeviceFamily.DistributionBox, new[] { "voltage_l1_v", "current_l3_a", "residual_current_ma", "insulation_mohm", "earth_resistance_ohm", "breaker_main_closed", "door_open", "enclosure_temperature_c" })]
    [InlineData(DeviceFamily.EmergencyBattery, new[] { "mains_present", "battery_voltage_v", "charge_state", "test_state", "test_elapsed_s", "last_test_result", "rated_duration_min", "test_command" })]
    [InlineData(DeviceFamily.LightTimeController, new[] { "ambient_lux", "output_on", "on_time_min", "off_time_min" })]
    public void Every_profile_of_a_family_reads_what_the_domain_requires(DeviceFamily family, string[] names)
    {
        foreach (var profile in Catalog.Where(p => p.Family == family))
        {
            var produced = profile.Points.SelectMany(p => p.ValueNames()).ToHashSet();
            foreach (var name in names)
            {
                Assert.True(produced.Contains(name), $"{profile.Model} does not produce {name}");
            }
        }
    }
}
