using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Telemetry.Contracts;
using Telemetry.Maintenance.Thresholds;
using static Telemetry.Maintenance.Tests.Thresholds.ThresholdDatabaseFolder;

namespace Telemetry.Maintenance.Tests.Thresholds;

/// <summary>One step of a script: set (or, with no value, remove) a band parameter at a scope.</summary>
public sealed record BandStep(ThresholdParameter Parameter, ThresholdScope Scope, double? Value)
{
    public override string ToString() => $"{Parameter.Name} at {Scope} = {Value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(remove)"}";
}

public static class BandScripts
{
    private static readonly ThresholdScope[] Scopes =
    [
        ThresholdScope.Global,
        ThresholdScope.ForFamily(DeviceFamily.DistributionBox),
        ThresholdScope.ForFamily(DeviceFamily.HighMast),
        ThresholdScope.ForSite("north"),
        ThresholdScope.ForSite("south"),
        ThresholdScope.ForDevice("north", "box-1"),
        ThresholdScope.ForDevice("north", "box-2"),
        ThresholdScope.ForDevice("south", "box-1"),
    ];

    // Near the defaults, so that trip and clear levels often cross and the store has something to refuse.
    private static readonly double[] Factors = [0.5, 0.7, 0.85, 0.95, 1.0, 1.05, 1.2, 1.4, 2.0];

    private static readonly Gen<BandStep> Steps =
        from parameter in Gen.Elements(Shipped.Catalogue.Bands.SelectMany(b => new[] { b.Trip, b.Clear }).ToArray())
        from scope in Gen.Elements(Scopes)
        from value in Gen.Frequency(
            (1, Gen.Constant<double?>(null)),
            (5, Gen.Elements(Factors).Select(f => (double?)Math.Clamp(Math.Round(parameter.Default * f, 4), parameter.Minimum, parameter.Maximum))))
        select new BandStep(parameter, scope, value);

    public static Arbitrary<BandStep[]> Scripts() => Gen.ArrayOf(Steps).Select(steps => steps.Take(25).ToArray()).ToArbitrary();
}

/// <summary>
/// Random scripts of band changes against a real store and a model of what it should hold. The store accepts a change
/// exactly when it leaves every band ordered for every device and site-wide question (unless it is refused for being
/// no change at all), so no sequence of accepted changes ever disorders a band anywhere.
/// </summary>
public sealed class ThresholdBandProperties
{
    private static readonly string[] Sites = ["north", "south", "east"];

    // Named by the scripts' scopes and not: every distinct way a device can resolve is among them.
    private static readonly string[] Devices = ["box-1", "box-2", "box-3"];

    [Property(Arbitrary = [typeof(BandScripts)], MaxTest = 40)]
    public async Task The_store_accepts_a_band_change_exactly_when_every_device_stays_ordered(BandStep[] script)
    {
        using var folder = new ThresholdDatabaseFolder();
        var store = folder.OpenStore();
        var model = new Dictionary<(int Parameter, string Scope), ThresholdSetting>();

        foreach (var step in script)
        {
            var atScope = model.GetValueOrDefault((step.Parameter.Index, step.Scope.Key))?.Value
                ?? (step.Scope.Level == ScopeLevel.Global ? step.Parameter.Default : null);
            var noChange = step.Value is null ? atScope is null || step.Scope.Level == ScopeLevel.Global : step.Value == atScope;
            var after = new Dictionary<(int, string), ThresholdSetting>(model);
            if (step.Value is double value)
            {
                after[(step.Parameter.Index, step.Scope.Key)] = new ThresholdSetting(step.Parameter, step.Scope, value);
            }
            else
            {
                after.Remove((step.Parameter.Index, step.Scope.Key));
            }

            var disordered = Disordered(Snapshot(after));
            try
            {
                await store.ApplyAsync(step.Value is double set ? Set(step.Parameter, step.Scope, set) : Remove(step.Parameter, step.Scope), folder.Token);
                Assert.False(noChange, $"accepted {step}, which changes nothing");
                Assert.True(disordered.Count == 0, $"accepted {step}, which disorders {string.Join(", ", disordered)}");
                model = after;
            }
            catch (ThresholdValidationException refused)
            {
                Assert.True(noChange || disordered.Count > 0, $"refused {step}, which keeps every band ordered: {refused.Message}");
            }

            var stored = await store.LoadAsync(folder.Token);
            Assert.Equal(
                model.Values.Select(s => (s.Parameter.Name, s.Scope.Key, s.Value)).Order(),
                stored.Settings.Select(s => (s.Parameter.Name, s.Scope.Key, s.Value)).Order());
            Assert.Empty(Disordered(stored));
        }
    }

    private static ThresholdSnapshot Snapshot(Dictionary<(int, string), ThresholdSetting> settings) => new(Shipped.Catalogue, 0, settings.Values);

    private static List<string> Disordered(ThresholdSnapshot snapshot)
    {
        var found = new List<string>();
        foreach (var band in Shipped.Catalogue.Bands)
        {
            foreach (var site in Sites)
            {
                var siteWide = snapshot.ForSite(site);
                if (!band.IsOrdered(siteWide[band.Trip], siteWide[band.Clear]))
                {
                    found.Add($"{band.Trip.Name}/{band.Clear.Name} site-wide at {site}");
                }

                foreach (var device in Devices)
                {
                    foreach (var family in Enum.GetValues<DeviceFamily>())
                    {
                        var values = snapshot.For(family, site, device);
                        if (!band.IsOrdered(values[band.Trip], values[band.Clear]))
                        {
                            found.Add($"{band.Trip.Name}/{band.Clear.Name} for {family.ToContractName()} {site}/{device}");
                        }
                    }
                }
            }
        }

        return found;
    }
}
