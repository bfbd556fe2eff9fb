namespace Telemetry.Hosting.Tests;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class BrokerSettingsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("broker-settings-").FullName;

    [Fact]
    public void A_password_file_gives_the_client_its_first_line_and_TLS_the_named_files()
    {
        var password = Secret("ingest.password", "s3cret-from-install\nsecond line is ignored\n");
        var ca = Public("ca.crt");
        var cert = Public("ingest.crt");
        var key = Secret("ingest.key", "key");
        var settings = new BrokerSettings
        {
            ClientId = "ingest",
            SharedGroup = "ingest",
            Username = "ingest",
            PasswordFile = password,
            Tls = new BrokerTlsSettings { CaFile = ca, CertFile = cert, KeyFile = key, ServerName = "broker.plant.example" },
        };

        Assert.Empty(settings.Validate());
        var options = settings.ClientOptions("ingest-live");
        Assert.Equal("ingest-live", options.ClientId);
        Assert.Equal("ingest", options.Username);
        Assert.Equal("s3cret-from-install", options.Password);
        Assert.NotNull(options.Tls);
        Assert.Equal(ca, options.Tls.CaCertificatePath);
        Assert.Equal(cert, options.Tls.ClientCertificatePath);
        Assert.Equal(key, options.Tls.ClientKeyPath);
        Assert.Equal("broker.plant.example", options.Tls.TargetHost);
    }

    [Fact]
    public void Without_TLS_settings_the_client_speaks_plain_MQTT() =>
        Assert.Null(new BrokerSettings { ClientId = "rules" }.ClientOptions("rules").Tls);

    [Fact]
    public void TLS_without_a_CA_file_trusts_the_operating_system() =>
        Assert.Null(new BrokerSettings { ClientId = "rules", Tls = new BrokerTlsSettings { Enabled = true } }.ClientOptions("rules").Tls!.CaCertificatePath);

    [Fact]
    public void Every_wrong_credential_setting_is_named_in_its_own_problem()
    {
        var everyoneReads = Public("everyone-reads.password");
        var empty = Secret("empty.password", "");
        var problems = new List<string>();
        problems.AddRange(new BrokerSettings { ClientId = "a", SharedGroup = "g", Username = "ingest", Password = "x", PasswordFile = Secret("p.password", "x") }.Validate());
        problems.AddRange(new BrokerSettings { ClientId = "a", SharedGroup = "g", Password = "x" }.Validate());
        problems.AddRange(new BrokerSettings { ClientId = "a", SharedGroup = "g", Username = "ingest", PasswordFile = Path.Combine(_directory, "missing") }.Validate());
        problems.AddRange(new BrokerSettings { ClientId = "a", SharedGroup = "g", Username = "ingest", PasswordFile = everyoneReads }.Validate());
        problems.AddRange(new BrokerSettings { ClientId = "a", SharedGroup = "g", Username = "ingest", PasswordFile = empty }.Validate());
        problems.AddRange(new BrokerSettings { ClientId = "a", SharedGroup = "g", Tls = new BrokerTlsSettings { CertFile = Public("c.crt") } }.Validate());
        problems.AddRange(new BrokerSettings { ClientId = "a", SharedGroup = "g", Tls = new BrokerTlsSettings { CaFile = Path.Combine(_directory, "no-ca.crt") } }.Validate());
        problems.AddRange(new BrokerSettings { ClientId = "a", SharedGroup = "g", Tls = new BrokerTlsSettings { Enabled = true, KeyFile = Secret("k.key", "k") } }.Validate());
        problems.AddRange(new BrokerSettings { ClientId = "a", SharedGroup = "g", Tls = new BrokerTlsSettings { Enabled = true, CertFile = Public("d.crt"), KeyFile = Public("open.key") } }.Validate());
        problems.AddRange(new BrokerSettings { ClientId = "a", SharedGroup = "g", Tls = new BrokerTlsSettings { Enabled = true, ServerName = "two words" } }.Validate());

        Assert.Collection(
            problems,
            p => Assert.StartsWith("Mqtt:Password and Mqtt:PasswordFile are both set", p, StringComparison.Ordinal),
            p => Assert.StartsWith("Mqtt:Username must be set", p, StringComparison.Ordinal),
            p => Assert.Contains("does not exist", p, StringComparison.Ordinal),
            p => Assert.Contains("readable by every user", p, StringComparison.Ordinal),
            p => Assert.Contains("holds no password", p, StringComparison.Ordinal),
            p => Assert.StartsWith("Mqtt:Tls: CertFile, KeyFile and ServerName need TLS on", p, StringComparison.Ordinal),
            p => Assert.StartsWith("Mqtt:Tls:CaFile", p, StringComparison.Ordinal),
            p => Assert.StartsWith("Mqtt:Tls:KeyFile needs Mqtt:Tls:CertFile", p, StringComparison.Ordinal),
            p => Assert.StartsWith("Mqtt:Tls:KeyFile", p, StringComparison.Ordinal),
            p => Assert.StartsWith("Mqtt:Tls:ServerName", p, StringComparison.Ordinal));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Secret(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }

    private string Public(string name)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, "certificate");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        return path;
    }
}
