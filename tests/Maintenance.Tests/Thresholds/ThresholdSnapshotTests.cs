using Telemetry.Contracts;
using Telemetry.Maintenance.Thresholds;

namespace Telemetry.Maintenance.Tests.Thresholds;

public sealed class ThresholdSnapshotTests
{
    [Fact]
    public void Defaults_are_the_domain_spec_values()
    {
        var values = ThresholdSnapshot.Defaults.For(DeviceFamily.DistributionBox, "north", "box-03");

        Assert.Equal(0.5, values[ThresholdCatalogue.InsulationTripMohm]);
        Assert.Equal(30, values[ThresholdCatalogue.LeakageTripMa]);
        Assert.Equal(4, values[ThresholdCatalogue.EarthTripOhm]);
        Assert.Equal(0.40, values[ThresholdCatalogue.OutageRatio]);
    }

    [Fact]
    public void Narrowest_scope_wins_global_then_family_then_site_then_device()
    {
        var p = ThresholdCatalogue.InsulationTripMohm;
        var snapshot = new ThresholdSnapshot(4,
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
        foreach (var band in ThresholdCatalogue.Bands)
        {
            Assert.True(band.IsOrdered(band.Trip.Default, band.Clear.Default), band.Trip.Name);
        }
    }

    [Fact]
    public void Parameter_names_are_unique_and_indices_dense()
    {
        Assert.Equal(ThresholdCatalogue.All.Count, ThresholdCatalogue.All.Select(p => p.Name).Distinct().Count());
        Assert.Equal(Enumerable.Range(0, ThresholdCatalogue.All.Count), ThresholdCatalogue.All.Select(p => p.Index));
    }
}
