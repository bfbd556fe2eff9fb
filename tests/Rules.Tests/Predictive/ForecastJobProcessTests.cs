using System.Text.Json;
using Telemetry.Rules.Tests.Integration;
using Telemetry.Testing;

namespace Telemetry.Rules.Tests.Predictive;

/// <summary>The running Rules process, with InfluxDB configured, forecasts its plant at start and reports it on <c>/healthz</c>.</summary>
public sealed class ForecastJobProcessTests : IAsyncLifetime
{
    private PlantRig rig = null!;

    public async Task InitializeAsync() => rig = await PlantRig.StartAsync(PlantRigOptions.EveryService(RulesFixture.Devices));

    public async Task DisposeAsync() => await rig.DisposeAsync();

    [Fact]
    public async Task Rules_runs_the_forecasting_job_at_start_without_a_failed_site()
    {
        var forecasts = await Eventually.ValueAsync(
            async () =>
            {
                using var health = JsonDocument.Parse(await rig.Rules!.HealthAsync());
                return health.RootElement.TryGetProperty("forecasts", out var section) ? section.Clone() : (JsonElement?)null;
            },
            f => f is { } s && s.GetProperty("runs").GetInt64() >= 1,
            $"Rules forecasts at start\n{rig.Logs()}");

        Assert.Equal(0, forecasts!.Value.GetProperty("failed_sites").GetInt64());
    }
}
