using System.Globalization;
using System.Text;
using Telemetry.BrokerAccess;
using Telemetry.BrokerAccess.Credentials;
using Telemetry.BrokerAccess.Principals;
using Telemetry.Contracts;
using Telemetry.Mqtt;

namespace Telemetry.Testing;

/// <summary>What a test needs of its broker beyond the stack's configuration.</summary>
public sealed class MosquittoOptions
{
    /// <summary>
    /// The bare broker of the MQTT library's own tests: anonymous clients let in, no password file, no ACL. Every
    /// test of the product leaves it false and gets the broker the stack runs: closed, with the access made from the
    /// site files.
    /// </summary>
    public bool Anonymous { get; init; }

    /// <summary>Site files whose gateways and crews get principals, besides every file in <c>hardware/sites</c>.</summary>
    public List<string> SiteFiles { get; init; } = [];

    /// <summary>Further users with these passwords, each allowed <c>topic readwrite #</c>.</summary>
    public Dictionary<string, string> Users { get; init; } = [];

    /// <summary>Adds a TLS listener (<see cref="MosquittoServer.TlsPort"/>) with a certificate from a fresh self-signed CA.</summary>
    public bool Tls { get; init; }

    /// <summary>The TLS listener refuses a client without a certificate signed by its CA (<c>require_certificate true</c>).</summary>
    public bool RequireCertificate { get; init; }

    /// <summary>Lines appended to the configuration as they are.</summary>
    public List<string> ExtraConfiguration { get; init; } = [];
}

/// <summary>A user name and password on the broker.</summary>
public sealed record BrokerCredentials(string Username, string Password);

/// <summary>A real Mosquitto broker on free loopback ports, with its state in a scratch folder.</summary>
public sealed class MosquittoServer : IAsyncDisposable
{
    private readonly string _configPath;
    private RunningCommand? _process;

    private MosquittoServer(string directory, int port, int? tlsPort, SelfSignedCertificates? certificates, string configPath, AccessState? access, IReadOnlyList<Principal> principals)
    {
        Directory = directory;
        Port = port;
        TlsPort = tlsPort;
        Certificates = certificates;
        _configPath = configPath;
        Access = access;
        Principals = principals;
    }

    /// <summary>The principal only the test fixtures have: reads and writes everything (made-up gateways, hostile payloads, recorders).</summary>
    public const string Harness = "harness";

    public string Host => "127.0.0.1";

    public int Port { get; }

    /// <summary>The operating system's id of the server process while it runs (for its CPU time in /proc).</summary>
    public int? ProcessId => _process is { HasExited: false } ? _process.Process.Id : null;

    public int? TlsPort { get; }

    /// <summary>The PEM certificate of the CA that signed the TLS listener's certificate.</summary>
    public string? CaCertificatePath => Certificates?.CaCertificatePath;

    /// <summary>The TLS listener's CA, which also signs the clients' certificates.</summary>
    public SelfSignedCertificates? Certificates { get; }

    /// <summary>The broker's access state (credentials, password file, ACL, pid file); null for an anonymous broker.</summary>
    public AccessState? Access { get; }

    /// <summary>The principals the password file and ACL were made for.</summary>
    public IReadOnlyList<Principal> Principals { get; }

    public string Directory { get; }

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The broker's log so far.</summary>
    public string Log => File.Exists(LogPath) ? File.ReadAllText(LogPath) : string.Empty;

    private string LogPath => Path.Combine(Directory, "mosquitto", "mosquitto.log");

    public static async Task<MosquittoServer> StartAsync(MosquittoOptions? options = null)
    {
        options ??= new MosquittoOptions();
        var directory = RepositoryPaths.NewScratchDirectory("mosquitto");
        var port = FreePort.Next();

        // Laid out as the stack's state folder: the broker's files in mosquitto/, the credentials beside them.
        var brokerDirectory = Path.Combine(directory, "mosquitto");
        System.IO.Directory.CreateDirectory(brokerDirectory);
        var config = new StringBuilder(RepositoryPaths.FillTemplate("mosquitto.conf", new Dictionary<string, string>
        {
            ["PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["DIR"] = brokerDirectory,
        }));
        config.AppendLine();

        AccessState? access = null;
        IReadOnlyList<Principal> principals = [];
        if (options.Anonymous)
        {
            if (options.Users.Count > 0)
            {
                throw new ArgumentException("an anonymous broker has no users", nameof(options));
            }

            config = new StringBuilder(string.Join('\n', config.ToString().Split('\n')
                .Where(line => !line.StartsWith("password_file ", StringComparison.Ordinal) && !line.StartsWith("acl_file ", StringComparison.Ordinal))
                .Select(line => line == "allow_anonymous false" ? "allow_anonymous true" : line)));
        }
        else
        {
            (access, principals) = WriteAccess(directory, options);
        }

        int? tlsPort = null;
        SelfSignedCertificates? certificates = null;
        if (options.Tls)
        {
            certificates = await SelfSignedCertificates.CreateAsync(directory);
            tlsPort = FreePort.Next();
            config.AppendLine($"listener {tlsPort} 127.0.0.1");
            config.AppendLine($"cafile {certificates.CaCertificatePath}");
            config.AppendLine($"certfile {certificates.ServerCertificatePath}");
            config.AppendLine($"keyfile {certificates.ServerKeyPath}");
            if (options.RequireCertificate)
            {
                config.AppendLine("require_certificate true");
            }
        }

        foreach (var line in options.ExtraConfiguration)
        {
            config.AppendLine(line);
        }

        var configPath = Path.Combine(directory, "mosquitto.conf");
        await File.WriteAllTextAsync(configPath, config.ToString());
        var server = new MosquittoServer(directory, port, tlsPort, certificates, configPath, access, principals);
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>The user name and password of <paramref name="principal"/>, as the broker knows them now.</summary>
    public BrokerCredentials Credentials(string principal)
    {
        var access = Access ?? throw new InvalidOperationException("an anonymous broker has no credentials");
        return new BrokerCredentials(principal, access.Credentials.Read(principal) ?? throw new ArgumentException($"the broker has no principal '{principal}'", nameof(principal)));
    }

    /// <summary>Client options for <paramref name="principal"/> on the plain listener (anonymous when null).</summary>
    public MqttClientOptions ClientOptions(string? principal, string clientId = "")
    {
        var credentials = principal is null ? null : Credentials(principal);
        return new MqttClientOptions { Host = Host, Port = Port, ClientId = clientId, Username = credentials?.Username, Password = credentials?.Password };
    }

    /// <summary>
    /// Client options for <paramref name="principal"/> on the TLS listener, trusting the broker's CA and presenting a
    /// client certificate it signed (CN = the principal).
    /// </summary>
    public async Task<MqttClientOptions> TlsClientOptionsAsync(string principal, string clientId = "")
    {
        var certificates = Certificates ?? throw new InvalidOperationException("the broker has no TLS listener (MosquittoOptions.Tls)");
        var (certificate, key) = await certificates.ClientCertificateAsync(principal);
        return ClientOptions(principal, clientId) with
        {
            Port = TlsPort!.Value,
            Tls = new MqttTlsOptions { CaCertificatePath = certificates.CaCertificatePath, ClientCertificatePath = certificate, ClientKeyPath = key },
        };
    }

    /// <summary>
    /// A central service's settings to log in as <paramref name="principal"/> on the TLS listener, as the stack gives
    /// them: its password file (<c>Mqtt:PasswordFile</c>), the broker's CA and the principal's client certificate.
    /// </summary>
    public Task<Dictionary<string, string>> TlsServiceSettingsAsync(string principal) => TlsSettingsAsync("Mqtt", "Mqtt:Tls", principal);

    /// <summary>A gateway's settings to log in as the site's gateway on the TLS listener (<c>Gateway:Mqtt:*</c>).</summary>
    public Task<Dictionary<string, string>> TlsGatewaySettingsAsync(string site, string gateway) =>
        TlsSettingsAsync("Gateway:Mqtt", "Gateway:Mqtt", AccessPlan.GatewayPrincipal(site, gateway));

    /// <summary>A central service's settings to log in as <paramref name="principal"/>: <c>Mqtt:Port</c>, <c>Mqtt:Username</c>, <c>Mqtt:Password</c>.</summary>
    public Dictionary<string, string> ServiceSettings(string principal) => Settings("Mqtt", principal);

    /// <summary>A gateway's settings to log in as the site's gateway: <c>Gateway:Mqtt:Port</c>, <c>Gateway:Mqtt:Username</c>, <c>Gateway:Mqtt:Password</c>.</summary>
    public Dictionary<string, string> GatewaySettings(string site, string gateway) => Settings("Gateway:Mqtt", AccessPlan.GatewayPrincipal(site, gateway));

    /// <summary>The <c>-h -p -u -P</c> arguments of mosquitto_pub and mosquitto_sub for <paramref name="principal"/>.</summary>
    public string[] CommandLineArguments(string principal)
    {
        var credentials = Credentials(principal);
        return ["-h", Host, "-p", Port.ToString(CultureInfo.InvariantCulture), "-u", credentials.Username, "-P", credentials.Password];
    }

    private async Task<Dictionary<string, string>> TlsSettingsAsync(string section, string tlsSection, string principal)
    {
        var certificates = Certificates ?? throw new InvalidOperationException("the broker has no TLS listener (MosquittoOptions.Tls)");
        var access = Access ?? throw new InvalidOperationException("an anonymous broker has no credentials");
        _ = Credentials(principal);
        var (certificate, key) = await certificates.ClientCertificateAsync(principal);
        return new Dictionary<string, string>
        {
            [$"{section}:Host"] = "localhost",
            [$"{section}:Port"] = TlsPort!.Value.ToString(CultureInfo.InvariantCulture),
            [$"{section}:Username"] = principal,
            [$"{section}:PasswordFile"] = access.Credentials.PathOf(principal),
            [$"{tlsSection}:CaFile"] = certificates.CaCertificatePath,
            [$"{tlsSection}:CertFile"] = certificate,
            [$"{tlsSection}:KeyFile"] = key,
        };
    }

    private Dictionary<string, string> Settings(string section, string principal)
    {
        var credentials = Credentials(principal);
        return new Dictionary<string, string>
        {
            [$"{section}:Port"] = Port.ToString(CultureInfo.InvariantCulture),
            [$"{section}:Username"] = credentials.Username,
            [$"{section}:Password"] = credentials.Password,
        };
    }

    private static (AccessState Access, IReadOnlyList<Principal> Principals) WriteAccess(string directory, MosquittoOptions options)
    {
        var access = new AccessState(directory);
        var profiles = Path.Combine(RepositoryPaths.Hardware, "profiles");
        var files = System.IO.Directory.GetFiles(Path.Combine(RepositoryPaths.Hardware, "sites"), "*.json")
            .Where(f => !f.EndsWith(".schema.json", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Concat(options.SiteFiles)
            .ToList();
        var sites = Telemetry.BrokerAccess.Principals.SiteFiles.Load(files, profiles);
        Principal[] extra =
        [
            new(Harness, [new AclEntry(TopicAccess.ReadWrite, "#")]),
            .. options.Users.Keys.Select(user => new Principal(user, [new AclEntry(TopicAccess.ReadWrite, "#")])),
        ];
        foreach (var (user, password) in options.Users)
        {
            SecretFile.Write(access.Credentials.PathOf(user), password + "\n");
        }

        var principals = AccessPlan.For(sites, new Topics(), extra);
        access.Setup(principals);
        return (access, principals);
    }

    /// <summary>Starts the broker (again) on the same ports with the same persistent state.</summary>
    public async Task StartAgainAsync()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException("the broker is already running");
        }

        _process = ExternalCommand.Start("mosquitto", ["-c", _configPath]);
        if (Access is not null)
        {
            // Where the stack keeps it, so that a rotation reloads this broker as it would the stack's.
            await File.WriteAllTextAsync(Access.BrokerPidFile, _process.Process.Id.ToString(CultureInfo.InvariantCulture));
        }

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
