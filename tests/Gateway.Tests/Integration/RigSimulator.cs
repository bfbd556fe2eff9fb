using System.Globalization;
using System.Reflection;
using Telemetry.Testing;

namespace Telemetry.Gateway.Tests.Integration;

/// <summary>
/// The simulator as a process. Like <see cref="SimulatorProcess"/>, but sets <c>Urls</c> as well as
/// <c>ASPNETCORE_URLS</c>: the simulator's appsettings.json names a fixed <c>Urls</c>, which wins over
/// <c>ASPNETCORE_URLS</c>, so <see cref="SimulatorProcess"/> waits on a port nobody listens on.
/// </summary>
internal sealed class RigSimulator : IAsyncDisposable
{
    private readonly RunningCommand _process;

    private RigSimulator(RunningCommand process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/");

    public string Output => _process.Output;

    public static async Task<RigSimulator> StartAsync(string site, IReadOnlyDictionary<string, string> settings)
    {
        var configuration = typeof(RigSimulator).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var dll = Path.Combine(RepositoryPaths.Root, "hardware", "Simulator", "bin", configuration, "net10.0", "Telemetry.Simulator.dll");
        var port = FreePort.Next();
        var environment = settings.ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value);
        environment["Simulator__Site"] = site;
        environment["ASPNETCORE_URLS"] = environment["Urls"] = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}");
        environment["DOTNET_ENVIRONMENT"] = "Production";
        var simulator = new RigSimulator(ExternalCommand.Start("dotnet", [dll], environment), port);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(simulator.BaseAddress, "healthz"));
                if (response.IsSuccessStatusCode)
                {
                    return simulator;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }

            if (simulator._process.HasExited || DateTime.UtcNow > deadline)
            {
                var output = simulator.Output;
                await simulator.DisposeAsync();
                throw new InvalidOperationException($"the simulator did not become healthy on {simulator.BaseAddress}: {output}");
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync() => await _process.DisposeAsync();
}
