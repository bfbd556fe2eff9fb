using Telemetry.Contracts;
using Telemetry.Maintenance.Thresholds;
using static Telemetry.Maintenance.Tests.Thresholds.ThresholdDatabaseFolder;

namespace Telemetry.Maintenance.Tests.Thresholds;

/// <summary>Each rule a change can break, checked through the store: refused, named, and nothing written.</summary>
public sealed class ThresholdValidationTests : IDisposable
{
    private static readonly ThresholdScope North = ThresholdScope.ForSite("north");
    private readonly ThresholdDatabaseFolder folder = new();
    private readonly SqliteThresholdStore store;

    public ThresholdValidationTests() => store = folder.OpenStore();

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task An_unknown_parameter_is_refused_naming_the_closest_known_one()
    {
        var problem = await RefusedAsync(new ThresholdChange("insulation.trip_mhom", "global", 0.4, Author, Reason));

        Assert.Equal(("insulation.trip_mhom", "global"), (problem.Parameter, problem.Scope));
        Assert.Contains("unknown parameter 'insulation.trip_mhom'", problem.Message, StringComparison.Ordinal);
        Assert.Contains("'insulation.trip_mohm'", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public async Task A_value_that_is_not_a_finite_number_is_refused(double value)
    {
        var problem = await RefusedAsync(Set(Shipped.LeakageTripMa, North, value));

        Assert.Equal(("leakage.trip_ma", "site:north"), (problem.Parameter, problem.Scope));
        Assert.Contains("not a finite number", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(1000.5)]
    public async Task A_value_outside_the_parameter_range_is_refused_naming_the_range(double value)
    {
        var problem = await RefusedAsync(Set(Shipped.LeakageTripMa, North, value));

        Assert.Equal("leakage.trip_ma", problem.Parameter);
        Assert.Contains("outside the allowed range [1, 1000] of leakage.trip_ma", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(20)]
    public async Task The_range_ends_are_allowed(double value)
    {
        var applied = await store.ApplyAsync(Set(Shipped.LampsDebounceReadings, North, value), folder.Token);

        Assert.Equal(value, applied.NewValue);
    }

    [Fact]
    public async Task A_fraction_for_a_whole_number_parameter_is_refused()
    {
        var problem = await RefusedAsync(Set(Shipped.LampsDebounceReadings, North, 2.5));

        Assert.Equal("lamps.debounce_readings", problem.Parameter);
        Assert.Contains("not a whole number", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_clear_level_set_on_the_wrong_side_of_the_trip_level_at_the_same_scope_is_refused()
    {
        var problem = await RefusedAsync(Set(Shipped.InsulationClearMohm, ThresholdScope.Global, 0.45));

        Assert.Equal(("insulation.clear_mohm", "global"), (problem.Parameter, problem.Scope));
        Assert.Contains("insulation.clear_mohm = 0.45 (from global) at or below insulation.trip_mohm = 0.5 (from the catalogue default)", problem.Message, StringComparison.Ordinal);
        Assert.Contains("must stay above the trip level", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_clear_level_equal_to_the_trip_level_is_refused()
    {
        var problem = await RefusedAsync(Set(Shipped.InsulationClearMohm, North, 0.5));

        Assert.Equal(("insulation.clear_mohm", "site:north"), (problem.Parameter, problem.Scope));
    }

    [Fact]
    public async Task A_global_trip_level_past_the_global_and_a_site_clear_level_is_refused_for_both()
    {
        await store.ApplyAsync(Set(Shipped.InsulationClearMohm, North, 0.65), folder.Token);

        var refused = await Assert.ThrowsAsync<ThresholdValidationException>(() =>
            store.ApplyAsync(Set(Shipped.InsulationTripMohm, ThresholdScope.Global, 0.7), folder.Token));

        Assert.Equal(["global", "site:north"], refused.Problems.Select(p => p.Scope));
        Assert.All(refused.Problems, p => Assert.Equal("insulation.trip_mohm", p.Parameter));
        Assert.Contains("insulation.clear_mohm = 0.6 (from the catalogue default)", refused.Problems[0].Message, StringComparison.Ordinal);
        Assert.Contains("insulation.clear_mohm = 0.65 (from site:north)", refused.Problems[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_global_trip_level_past_a_site_clear_override_is_refused_naming_both_parameters_and_the_site()
    {
        await store.ApplyAsync(Set(Shipped.InsulationClearMohm, ThresholdScope.Global, 0.8), folder.Token);
        await store.ApplyAsync(Set(Shipped.InsulationClearMohm, North, 0.65), folder.Token);

        var problem = await RefusedAsync(Set(Shipped.InsulationTripMohm, ThresholdScope.Global, 0.7));

        Assert.Equal(("insulation.trip_mohm", "site:north"), (problem.Parameter, problem.Scope));
        Assert.Equal(
            "setting insulation.trip_mohm to 0.7 at global would leave insulation.clear_mohm = 0.65 (from site:north) at or below " +
            "insulation.trip_mohm = 0.7 (from global) for devices at site:north; the clear level must stay above the trip level",
            problem.Message);
    }

    [Fact]
    public async Task A_family_clear_level_past_a_device_trip_override_is_refused_naming_the_device()
    {
        // A device scope reaches the device whatever its family, so its trip level needs a clear level below it everywhere first.
        await store.ApplyAsync(Set(Shipped.LeakageClearMa, ThresholdScope.Global, 18), folder.Token);
        await store.ApplyAsync(Set(Shipped.LeakageTripMa, ThresholdScope.ForDevice("north", "box-03"), 20), folder.Token);

        var problem = await RefusedAsync(Set(Shipped.LeakageClearMa, ThresholdScope.ForFamily(DeviceFamily.DistributionBox), 22));

        Assert.Equal(("leakage.clear_ma", "device:north/box-03"), (problem.Parameter, problem.Scope));
        Assert.Contains("leakage.clear_ma = 22 (from family:distribution_box) at or above leakage.trip_ma = 20 (from device:north/box-03)", problem.Message, StringComparison.Ordinal);
        Assert.Contains("device:north/box-03 as a distribution_box", problem.Message, StringComparison.Ordinal);
        Assert.Contains("must stay below the trip level", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Removing_an_override_that_would_expose_a_disordered_band_is_refused()
    {
        await store.ApplyAsync(Set(Shipped.InsulationTripMohm, North, 0.3), folder.Token);
        await store.ApplyAsync(Set(Shipped.InsulationClearMohm, North, 0.35), folder.Token);

        var problem = await RefusedAsync(Remove(Shipped.InsulationTripMohm, North));

        Assert.Equal(("insulation.trip_mohm", "site:north"), (problem.Parameter, problem.Scope));
        Assert.Contains("removing the override of insulation.trip_mohm at site:north would leave insulation.clear_mohm = 0.35 (from site:north)", problem.Message, StringComparison.Ordinal);
        Assert.Contains("insulation.trip_mohm = 0.5 (from the catalogue default)", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_band_change_that_keeps_every_device_ordered_is_accepted()
    {
        await store.ApplyAsync(Set(Shipped.InsulationClearMohm, North, 0.65), folder.Token);

        var applied = await store.ApplyAsync(Set(Shipped.InsulationTripMohm, ThresholdScope.Global, 0.55), folder.Token);

        var resolved = (await store.LoadAsync(folder.Token)).For(DeviceFamily.DistributionBox, "north", "box-03");
        Assert.Equal(0.55, applied.NewValue);
        Assert.Equal((0.55, 0.65), (resolved[Shipped.InsulationTripMohm], resolved[Shipped.InsulationClearMohm]));
    }

    [Fact]
    public async Task The_global_value_cannot_be_removed()
    {
        await store.ApplyAsync(Set(Shipped.EarthTripOhm, ThresholdScope.Global, 5), folder.Token);

        var problem = await RefusedAsync(Remove(Shipped.EarthTripOhm, ThresholdScope.Global));

        Assert.Equal(("earth.trip_ohm", "global"), (problem.Parameter, problem.Scope));
        Assert.Contains("global value cannot be removed", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Removing_an_override_that_does_not_exist_is_refused()
    {
        var problem = await RefusedAsync(Remove(Shipped.EarthTripOhm, North));

        Assert.Equal(("earth.trip_ohm", "site:north"), (problem.Parameter, problem.Scope));
        Assert.Contains("no override of earth.trip_ohm at site:north to remove", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Setting_the_value_already_in_force_at_that_scope_is_refused()
    {
        var problem = await RefusedAsync(Set(Shipped.EarthTripOhm, ThresholdScope.Global, 4));

        Assert.Equal("earth.trip_ohm", problem.Parameter);
        Assert.Contains("already 4 at global", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task A_change_without_an_author_is_refused(string author)
    {
        var problem = await RefusedAsync(ThresholdChange.Set(Shipped.EarthTripOhm, North, 5, author, Reason));

        Assert.Equal("earth.trip_ohm", problem.Parameter);
        Assert.Contains("author is required", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_author_longer_than_the_limit_is_refused()
    {
        var problem = await RefusedAsync(ThresholdChange.Set(Shipped.EarthTripOhm, North, 5, new string('a', 65), Reason));

        Assert.Contains("author is 65 characters long; at most 64", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_engineer_cannot_sign_a_change_as_the_system()
    {
        var problem = await RefusedAsync(ThresholdChange.Set(Shipped.EarthTripOhm, North, 5, "System", Reason));

        Assert.Contains("reserved", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" \n ")]
    public async Task A_change_without_a_reason_is_refused(string reason)
    {
        var problem = await RefusedAsync(ThresholdChange.Set(Shipped.EarthTripOhm, North, 5, Author, reason));

        Assert.Equal(("earth.trip_ohm", "site:north"), (problem.Parameter, problem.Scope));
        Assert.Contains("reason is required", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reason_longer_than_the_limit_is_refused_and_one_at_the_limit_accepted()
    {
        var problem = await RefusedAsync(ThresholdChange.Set(Shipped.EarthTripOhm, North, 5, Author, new string('r', 501)));
        var applied = await store.ApplyAsync(ThresholdChange.Set(Shipped.EarthTripOhm, North, 5, Author, new string('r', 500)), folder.Token);

        Assert.Contains("reason is 501 characters long; at most 500", problem.Message, StringComparison.Ordinal);
        Assert.Equal(500, applied.Reason.Length);
    }

    [Theory]
    [InlineData("", "scope is required")]
    [InlineData("site:no spaces", "site 'no spaces' is not a valid identifier")]
    [InlineData("device:north/mast 07", "device 'mast 07' is not a valid identifier")]
    [InlineData("device:north", "is not device:<site>/<device>")]
    [InlineData("family:lamp_post", "names no device family; the families are street_controller, high_mast")]
    [InlineData("planet:earth", "is not a scope: use global, family:<family>, site:<site> or device:<site>/<device>")]
    public async Task A_malformed_scope_is_refused_saying_what_is_wrong_with_it(string scope, string expected)
    {
        var problem = await RefusedAsync(new ThresholdChange("earth.trip_ohm", scope, 5, Author, Reason));

        Assert.Equal(("earth.trip_ohm", scope), (problem.Parameter, problem.Scope));
        Assert.Contains(expected, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_problem_of_a_change_is_reported_at_once()
    {
        var refused = await Assert.ThrowsAsync<ThresholdValidationException>(() =>
            store.ApplyAsync(new ThresholdChange("door_open.limit", "site:north", -1, "", ""), folder.Token));

        Assert.Equal(3, refused.Problems.Count);
        Assert.Contains(refused.Problems, p => p.Message.Contains("'door_open.limit_min'", StringComparison.Ordinal));
        Assert.Contains(refused.Problems, p => p.Message.Contains("author is required", StringComparison.Ordinal));
        Assert.Contains(refused.Problems, p => p.Message.Contains("reason is required", StringComparison.Ordinal));
        Assert.Contains("door_open.limit at site:north", refused.Message, StringComparison.Ordinal);
    }

    private async Task<ThresholdProblem> RefusedAsync(ThresholdChange change)
    {
        var before = await store.CurrentVersionAsync(folder.Token);

        var refused = await Assert.ThrowsAsync<ThresholdValidationException>(() => store.ApplyAsync(change, folder.Token));

        Assert.Equal(before, await store.CurrentVersionAsync(folder.Token));
        return Assert.Single(refused.Problems);
    }
}
