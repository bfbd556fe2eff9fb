using System.Globalization;
using System.Reflection;

namespace Telemetry.Testing;

/// <summary>One of the product's services run as its own process, as in production, so tests can kill it.</summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(2) };
    private readonly string _service;
    private readonly Dictionary<string, string> _environment;
    private RunningCommand? _process;
    private string _earlierRuns = string.Empty;

    private readonly string? _executable;

    private ServiceProcess(string service, Dictionary<string, string> environment, int healthPort, string? executable)
    {
        _service = service;
        _environment = environment;
        HealthPort = healthPort;
        _executable = executable;
    }

    public int HealthPort { get; }

    public Uri HealthUrl => new($"http://127.0.0.1:{HealthPort}/healthz");

    public string Output => _process?.Output ?? string.Empty;

    /// <summary>The output of every run since the first start, each run after the one before.</summary>
    public string OutputOfAllRuns => _earlierRuns + Output;

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The operating system's id of the running process (for <c>/proc/{id}/status</c>), null before the first start.</summary>
    public int? ProcessId => _process?.Process.Id;

    /// <summary>The service's built assembly, in the tests' own configuration.</summary>
    public static string DllOf(string service)
    {
        var configuration = typeof(ServiceProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        return Path.Combine(RepositoryPaths.Root, "src", service, "bin", configuration, "net10.0", $"Telemetry.{service}.dll");
    }

    /// <summary>
    /// Starts <c>src/{service}</c> with settings given as configuration keys (<c>Mqtt:Port</c>), and waits until its
    /// health endpoint answers. It runs <paramref name="executable"/> if given, else the natively compiled program
    /// named by <c>TELEMETRY_{SERVICE}_EXECUTABLE</c> (the test command publishes the gateway so, as it ships), else
    /// the managed build for the same configuration as the tests.
    /// </summary>
    public static async Task<ServiceProcess> StartAsync(string service, IReadOnlyDictionary<string, string> settings, string? executable = null)
    {
        var port = FreePort.Next();
        var environment = settings.ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value);
        environment["ASPNETCORE_URLS"] = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}");
        environment["DOTNET_ENVIRONMENT"] = "Production";
        executable ??= NativeExecutable(service);
        var process = new ServiceProcess(service, environment, port, executable);
        await process.StartAgainAsync();
        return process;
    }

    private static string? NativeExecutable(string service) =>
        Environment.GetEnvironmentVariable($"TELEMETRY_{service.ToUpperInvariant()}_EXECUTABLE") is { Length: > 0 } path ? path : null;

    public async Task StartAgainAsync()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"{_service} is already running");
        }

        var dll = DllOf(_service);
        var program = _executable ?? dll;
        if (!File.Exists(program))
        {
            throw new FileNotFoundException($"{program} is not built; build the solution (or publish the service) first", program);
        }

        if (_process is not null)
        {
            _earlierRuns += _process.Output;
            await _process.DisposeAsync();
        }

        _process = _executable is null ? ExternalCommand.Start("dotnet", [dll], _environment) : ExternalCommand.Start(_executable, [], _environment);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                using var response = await Http.GetAsync(HealthUrl);
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }

            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"{_service} did not answer on {HealthUrl}: {_process.Output}");
            }

            await Task.Delay(100);
        }
    }

    public async Task<string> HealthAsync()
    {
        using var response = await Http.GetAsync(HealthUrl);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>SIGKILL: no flush, no goodbye.</summary>
    public void Kill() => _process?.Kill();

    /// <summary>SIGSTOP: the service hangs with its connections open, as on an overloaded host, until <see cref="Resume"/>.</summary>
    public void Pause()
    {
        if (_process is { HasExited: false } process)
        {
            Posix.Stop(process.Process.Id);
        }
    }

    /// <summary>SIGCONT after <see cref="Pause"/>.</summary>
    public void Resume()
    {
        if (_process is { HasExited: false } process)
        {
            Posix.Continue(process.Process.Id);
        }
    }

    /// <summary>SIGTERM: graceful shutdown.</summary>
    public Task StopAsync() => _process?.StopAsync() ?? Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }
}
