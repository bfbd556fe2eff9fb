using System.Text;

namespace Telemetry.Testing;

/// <summary>What a test needs of its broker beyond the stack's configuration.</summary>
public sealed class MosquittoOptions
{
    /// <summary>When not empty, anonymous clients are refused and these users get in.</summary>
    public Dictionary<string, string> Users { get; init; } = [];

    /// <summary>Adds a TLS listener (<see cref="MosquittoServer.TlsPort"/>) with a certificate from a fresh self-signed CA.</summary>
    public bool Tls { get; init; }

    /// <summary>Lines appended to the configuration as they are.</summary>
    public List<string> ExtraConfiguration { get; init; } = [];
}

/// <summary>A real Mosquitto broker on free loopback ports, with its state in a scratch folder.</summary>
public sealed class MosquittoServer : IAsyncDisposable
{
    private readonly string _configPath;
    private RunningCommand? _process;

    private MosquittoServer(string directory, int port, int? tlsPort, string? caCertificatePath, string configPath)
    {
        Directory = directory;
        Port = port;
        TlsPort = tlsPort;
        CaCertificatePath = caCertificatePath;
        _configPath = configPath;
    }

    public string Host => "127.0.0.1";

    public int Port { get; }

    /// <summary>The operating system's id of the server process while it runs (for its CPU time in /proc).</summary>
    public int? ProcessId => _process is { HasExited: false } ? _process.Process.Id : null;

    public int? TlsPort { get; }

    /// <summary>The PEM certificate of the CA that signed the TLS listener's certificate.</summary>
    public string? CaCertificatePath { get; }

    public string Directory { get; }

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The broker's log so far.</summary>
    public string Log => File.Exists(Path.Combine(Directory, "mosquitto.log")) ? File.ReadAllText(Path.Combine(Directory, "mosquitto.log")) : string.Empty;

    public static async Task<MosquittoServer> StartAsync(MosquittoOptions? options = null)
    {
        options ??= new MosquittoOptions();
        var directory = RepositoryPaths.NewScratchDirectory("mosquitto");
        var port = FreePort.Next();
        var config = new StringBuilder(RepositoryPaths.FillTemplate("mosquitto.conf", new Dictionary<string, string>
        {
            ["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DIR"] = directory,
        }));
        config.AppendLine();

        if (options.Users.Count > 0)
        {
            var passwordFile = Path.Combine(directory, "passwords");
            await File.WriteAllTextAsync(passwordFile, string.Empty);
            foreach (var (user, password) in options.Users)
            {
                (await ExternalCommand.RunAsync("mosquitto_passwd", ["-b", passwordFile, user, password])).EnsureSuccess("mosquitto_passwd");
            }

            config.Replace("allow_anonymous true", "allow_anonymous false");
            config.AppendLine($"password_file {passwordFile}");
        }

        int? tlsPort = null;
        string? caPath = null;
        if (options.Tls)
        {
            var certificates = await SelfSignedCertificates.CreateAsync(directory);
            tlsPort = FreePort.Next();
            caPath = certificates.CaCertificatePath;
            config.AppendLine($"listener {tlsPort} 127.0.0.1");
            config.AppendLine($"cafile {certificates.CaCertificatePath}");
            config.AppendLine($"certfile {certificates.ServerCertificatePath}");
            config.AppendLine($"keyfile {certificates.ServerKeyPath}");
        }

        foreach (var line in options.ExtraConfiguration)
        {
            config.AppendLine(line);
        }

        var configPath = Path.Combine(directory, "mosquitto.conf");
        await File.WriteAllTextAsync(configPath, config.ToString());
        var server = new MosquittoServer(directory, port, tlsPort, caPath, configPath);
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts the broker (again) on the same ports with the same persistent state.</summary>
    public async Task StartAgainAsync()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException("the broker is already running");
        }

        _process = ExternalCommand.Start("mosquitto", ["-c", _configPath]);
        try
        {
            await FreePort.WaitUntilListeningAsync(Port, TimeSpan.FromSeconds(15), () => !_process.HasExited);
            if (TlsPort is { } tls)
            {
                await FreePort.WaitUntilListeningAsync(tls, TimeSpan.FromSeconds(15), () => !_process.HasExited);
            }
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException($"mosquitto did not start on port {Port}: {_process.Output}{Log}", ex);
        }
    }

    /// <summary>
    /// SIGSTOP: the broker hangs with every connection open, as on an overloaded host; publishes get no PUBACK
    /// until <see cref="Resume"/>. Its state (sessions, shared subscriptions) is kept, unlike a restart.
    /// </summary>
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

    /// <summary>SIGKILL: in-memory state since the last autosave is lost, as in a power cut.</summary>
    public void Kill() => _process?.Kill();

    /// <summary>SIGTERM: the broker saves its persistent state and exits.</summary>
    public Task StopAsync() => _process?.StopAsync() ?? Task.CompletedTask;

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
