using System.Globalization;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;

namespace Telemetry.Testing;

/// <summary>
/// The plant simulator (<c>hardware/Simulator</c>) run as its own process, as a gateway under test would meet
/// it: Modbus ports as the site file and settings say, the control API on a free loopback port.
/// </summary>
public sealed class SimulatorProcess : IAsyncDisposable
{
    private static readonly HttpClient Control = new() { Timeout = TimeSpan.FromSeconds(10) };
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

    /// <summary>Breaks a device as the control API's fault document says (<c>{ fault = "lamp_dark", ... }</c>).</summary>
    public Task InjectFaultAsync(string device, object fault) => SendAsync(HttpMethod.Post, $"devices/{device}/faults", fault);

    public Task ClearFaultAsync(string device, string fault) => SendAsync(HttpMethod.Delete, $"devices/{device}/faults/{fault}");

    public Task ClearFaultsAsync(string device) => SendAsync(HttpMethod.Delete, $"devices/{device}/faults");

    /// <summary>Writes a command into the simulated device as the gateway would.</summary>
    public Task CommandDeviceAsync(string device, string point, object value, int? circuit = null) =>
        SendAsync(HttpMethod.Post, $"devices/{device}/commands", new { point, circuit, value });

    /// <summary>Makes a simulated value read as given until released.</summary>
    public Task SetValueAsync(string device, string name, object value) => SendAsync(HttpMethod.Put, $"devices/{device}/values/{name}", new { value });

    /// <summary>The simulated device as the control API shows it (model values, faults).</summary>
    public async Task<JsonElement> DeviceAsync(string device)
    {
        using var document = JsonDocument.Parse(await Control.GetStringAsync(new Uri(BaseAddress, $"devices/{device}")));
        return document.RootElement.Clone();
    }

    private async Task SendAsync(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(BaseAddress, path)) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await Control.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>SIGTERM: graceful shutdown (ports closed).</summary>
    public Task StopAsync() => _process.StopAsync();

    public async ValueTask DisposeAsync() => await _process.DisposeAsync();
}
