using System.Globalization;
using System.Reflection;

namespace Telemetry.Testing;

/// <summary>
/// The plant simulator (<c>hardware/Simulator</c>) run as its own process, as a gateway under test would meet
/// it: Modbus ports as the site file and settings say, the control API on a free loopback port.
/// </summary>
public sealed class SimulatorProcess : IAsyncDisposable
{
    private readonly RunningCommand _process;

    private SimulatorProcess(RunningCommand process, int port)
    {
        _process = process;
        Port = port;
    }

    /// <summary>Port of the control API and /healthz.</summary>
    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/");

    public string Output => _process.Output;

    public bool IsRunning => !_process.HasExited;

    /// <summary>
    /// Starts the simulator (as built for the same configuration as the tests) on <paramref name="site"/> with
    /// settings given as configuration keys (<c>Simulator:Clock:Mode</c> = <c>Manual</c>, <c>Simulator:Tcp:tcp-1</c> = port,
    /// <c>Simulator:Serial:rs485-1</c> = path), and waits until /healthz answers 200 (every link served).
    /// </summary>
    public static async Task<SimulatorProcess> StartAsync(string site, IReadOnlyDictionary<string, string>? settings = null, TimeSpan? timeout = null)
    {
        var configuration = typeof(SimulatorProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var dll = Path.Combine(RepositoryPaths.Root, "hardware", "Simulator", "bin", configuration, "net10.0", "Telemetry.Simulator.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"{dll} is not built; build the solution first", dll);
        }

        var port = FreePort.Next();
        var environment = (settings ?? new Dictionary<string, string>()).ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value);
        environment["Simulator__Site"] = site;
        environment["ASPNETCORE_URLS"] = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}");
        environment["DOTNET_ENVIRONMENT"] = "Production";
        var process = new SimulatorProcess(ExternalCommand.Start("dotnet", [dll], environment), port);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(process.BaseAddress, "healthz"));
                if (response.IsSuccessStatusCode)
                {
                    return process;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }

            if (!process.IsRunning || DateTime.UtcNow > deadline)
            {
                var output = process.Output;
                await process.DisposeAsync();
                throw new InvalidOperationException($"the simulator did not become healthy on {process.BaseAddress}: {output}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>SIGTERM: graceful shutdown (ports closed).</summary>
    public Task StopAsync() => _process.StopAsync();

    public async ValueTask DisposeAsync() => await _process.DisposeAsync();
}
