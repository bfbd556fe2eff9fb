using System.Globalization;

namespace Telemetry.Testing;

/// <summary>A real influxd (1.x HTTP API) on free loopback ports, with its state in a scratch folder.</summary>
public sealed class InfluxServer : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(2) };
    private readonly string _configPath;
    private RunningCommand? _process;

    private InfluxServer(string directory, int port, string configPath)
    {
        Directory = directory;
        Port = port;
        _configPath = configPath;
    }

    public int Port { get; }

    /// <summary>The operating system's id of the server process while it runs (for its CPU time in /proc).</summary>
    public int? ProcessId => _process is { HasExited: false } ? _process.Process.Id : null;

    public Uri Url => new($"http://127.0.0.1:{Port}/");

    public string Directory { get; }

    public bool IsRunning => _process is { HasExited: false };

    public static async Task<InfluxServer> StartAsync()
    {
        var directory = RepositoryPaths.NewScratchDirectory("influxd");
        var port = FreePort.Next();
        var config = RepositoryPaths.FillTemplate("influxdb.conf", new Dictionary<string, string>
        {
            ["PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["RPCPORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["DIR"] = directory,
        });
        var configPath = Path.Combine(directory, "influxdb.conf");
        await File.WriteAllTextAsync(configPath, config);
        var server = new InfluxServer(directory, port, configPath);
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts influxd (again) on the same port with the same data.</summary>
    public async Task StartAgainAsync()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException("influxd is already running");
        }

        _process = ExternalCommand.Start("influxd", ["run", "-config", _configPath]);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                using var response = await Http.GetAsync(new Uri(Url, "ping"));
                if ((int)response.StatusCode == 204)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // not up yet
            }

            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"influxd did not answer /ping on port {Port}: {_process.Output}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>SIGKILL: like a power cut (acknowledged writes are in the WAL and survive).</summary>
    public void Kill() => _process?.Kill();

    /// <summary>SIGSTOP: the database hangs with its connections open; writes and queries wait until <see cref="Resume"/>.</summary>
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

    public Task StopAsync() => _process?.StopAsync() ?? Task.CompletedTask;

    /// <summary>Runs Influx's own command-line client against this server.</summary>
    public Task<CommandResult> RunCliAsync(params string[] arguments) =>
        ExternalCommand.RunAsync("influx", ["-host", "127.0.0.1", "-port", Port.ToString(CultureInfo.InvariantCulture), .. arguments]);

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A scratch folder left behind in /tmp is harmless.
        }
    }
}
