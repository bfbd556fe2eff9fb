using Telemetry.Simulator.Serving;

namespace Telemetry.Simulator.Tests.Plant;

public sealed class DeterminismTests
{
    [Fact]
    public async Task The_same_seed_gives_the_same_values_and_another_seed_others()
    {
        var first = await RunAsync(seed: 7);
        var again = await RunAsync(seed: 7);
        var other = await RunAsync(seed: 8);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public async Task Values_do_not_depend_on_how_often_the_plant_is_stepped_except_for_integrated_energy()
    {
        var coarse = await RunAsync(seed: 3, step: TimeSpan.FromHours(1));
        var fine = await RunAsync(seed: 3, step: TimeSpan.FromSeconds(7));

        Assert.Equal(Without(coarse, "energy"), Without(fine, "energy"));
    }

    private static async Task<List<string>> RunAsync(int seed, TimeSpan? step = null)
    {
        var clock = TestPlant.Clock();
        await using var simulation = TestPlant.Create(clock, new SimulationOptions { Seed = seed, WireTiming = false, Physics = new() { LampMtbfHours = 20 } });
        simulation.Run(clock, TimeSpan.FromHours(6), step ?? TimeSpan.FromMinutes(7));
        return [.. simulation.Snapshots().SelectMany(s => s.Values.Select(v => $"{s.Id} {v.Key}={v.Value}")
            .Concat(s.Circuits.SelectMany(c => c.Value.Select(v => $"{s.Id}[{c.Key}] {v.Key}={v.Value}"))))];
    }

    private static List<string> Without(List<string> values, string name) => [.. values.Where(v => !v.Contains(name, StringComparison.Ordinal))];
}
