using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Telemetry.Hosting;
using Telemetry.Simulator.Clock;
using Telemetry.Simulator.Serving;

namespace Telemetry.Simulator;

/// <summary>Opens the Modbus ports, then advances the plant and refreshes the registers every tick until stopped.</summary>
public sealed partial class SimulationService(Simulation simulation, SimulationClock clock, SimulatorSettings settings, ILogger<SimulationService> logger)
    : BackgroundService, IHealthSource
{
    public string Name => "simulation";

    public HealthVerdict Verdict => simulation.IsServing ? HealthVerdict.Healthy : HealthVerdict.Unhealthy("not serving the devices");

    public void Write(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteString("site", simulation.Site.Id);
        writer.WriteNumber("devices", simulation.Plant.Devices.Count);
        writer.WriteString("simulated_time", simulation.Plant.Time);
        writer.WriteString("clock", clock.Mode.ToString().ToLowerInvariant());
        writer.WriteNumber("speed", clock.Speed);
        writer.WriteNumber("requests", simulation.RequestsServed);
        writer.WriteNumber("writes", simulation.WritesApplied);
        writer.WriteNumber("server_errors", simulation.ServerErrors);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        simulation.Start(stoppingToken);
        LogStarted(logger, simulation.Site.Id, simulation.Plant.Devices.Count, clock.Mode, clock.Speed, settings.Seed);
        using var timer = new PeriodicTimer(settings.Tick);
        try
        {
            do
            {
                simulation.Update();
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await simulation.DisposeAsync().ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulating site {Site}: {Devices} device(s), clock {Mode} x{Speed}, seed {Seed}")]
    private static partial void LogStarted(ILogger logger, string site, int devices, ClockMode mode, double speed, int seed);
}
