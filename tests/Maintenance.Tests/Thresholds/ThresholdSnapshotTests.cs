using Telemetry.Contracts;
using Telemetry.Maintenance.Thresholds;

namespace Telemetry.Maintenance.Tests.Thresholds;

public sealed class ThresholdSnapshotTests
{
    [Fact]
    public void Defaults_are_the_domain_spec_values()
    {
        var values = Shipped.Defaults.For(DeviceFamily.DistributionBox, "north", "box-03");

        Assert.Equal(0.5, values[Shipped.InsulationTripMohm]);
        Assert.Equal(30, values[Shipped.LeakageTripMa]);
        Assert.Equal(4, values[Shipped.EarthTripOhm]);
        Assert.Equal(0.40, values[Shipped.OutageRatio]);
    }

    [Fact]
    public void Narrowest_scope_wins_global_then_family_then_site_then_device()
    {
        var p = Shipped.InsulationTripMohm;
        var snapshot = new ThresholdSnapshot(Shipped.Catalogue, 4,
        [
            new(p, ThresholdScope.ForDevice("north", "box-03"), 0.9),
            new(p, ThresholdScope.ForSite("north"), 0.7),
            new(p, ThresholdScope.ForFamily(DeviceFamily.DistributionBox), 0.6),
            new(p, ThresholdScope.Global, 0.55),
        ]);

        Assert.Equal(0.9, snapshot.For(DeviceFamily.DistributionBox, "north", "box-03")[p]);
        Assert.Equal(0.7, snapshot.For(DeviceFamily.DistributionBox, "north", "box-04")[p]);
        Assert.Equal(0.6, snapshot.For(DeviceFamily.DistributionBox, "south", "box-04")[p]);
        Assert.Equal(0.55, snapshot.For(DeviceFamily.HighMast, "south", "mast-01")[p]);
        Assert.Equal(0.7, snapshot.ForSite("north")[p]);
    }

    [Theory]
    [InlineData("global")]
    [InlineData("family:high_mast")]
    [InlineData("site:north")]
    [InlineData("device:north/mast-07")]
    public void Scope_keys_round_trip(string key) => Assert.Equal(key, ThresholdScope.TryParse(key)!.Key);

    [Theory]
    [InlineData("")]
    [InlineData("family:lamp_post")]
    [InlineData("device:north")]
    [InlineData("site:no spaces")]
    [InlineData("planet:earth")]
    public void Malformed_scope_keys_are_refused(string key) => Assert.Null(ThresholdScope.TryParse(key));

    [Fact]
    public void Every_band_default_has_its_clear_level_on_the_healthy_side()
    {
        foreach (var band in Shipped.Catalogue.Bands)
        {
            Assert.True(band.IsOrdered(band.Trip.Default, band.Clear.Default), band.Trip.Name);
        }
    }

    [Fact]
    public void Parameter_names_and_numbers_are_unique()
    {
        Assert.Equal(Shipped.Catalogue.All.Count, Shipped.Catalogue.All.Select(p => p.Name).Distinct().Count());
        Assert.Equal(Shipped.Catalogue.All.Count, Shipped.Catalogue.All.Select(p => p.Index).Distinct().Count());
    }

    [Fact]
    public void A_parameter_of_no_catalogue_resolves_to_its_own_default()
    {
        var stranger = new ThresholdParameter("stranger.limit_s", 42, 0, 100, false, "s", "declared by no rule of the catalogue");

        Assert.Equal(42, Shipped.Defaults.For(DeviceFamily.HighMast, "north", "mast-01")[stranger]);
    }

    [Fact]
    public void A_catalogue_refuses_a_name_declared_twice_and_a_default_out_of_range()
    {
        var first = new ThresholdParameter("twice.limit_s", 1, 0, 10, false, "s", "first");
        var second = new ThresholdParameter("twice.limit_s", 2, 0, 10, false, "s", "second");
        var outside = new ThresholdParameter("outside.limit_s", 20, 0, 10, false, "s", "default above its maximum");

        Assert.Throws<ArgumentException>(() => new ThresholdCatalogue([first, second], []));
        Assert.Throws<ArgumentException>(() => new ThresholdCatalogue([outside], []));
    }
}
