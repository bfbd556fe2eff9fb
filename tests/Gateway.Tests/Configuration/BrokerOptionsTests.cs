using Telemetry.Contracts;
using Telemetry.Devices.Profiles;
using Telemetry.Devices.Sites;
using Telemetry.Gateway.Configuration;
using Telemetry.Gateway.Publishing;
using Telemetry.Testing;

namespace Telemetry.Gateway.Tests.Configuration;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class BrokerOptionsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gateway-broker-").FullName;

    [Fact]
    public void The_gateway_takes_its_password_from_its_file_and_its_certificate_and_server_name_from_settings()
    {
        var password = Write("gateway.password", "from-install\n", secret: true);
        var ca = Write("ca.crt", "ca", secret: false);
        var cert = Write("gateway.crt", "cert", secret: false);
        var key = Write("gateway.key", "key", secret: true);
        var overrides = new MqttOverrides { Host = "localhost", Port = 8883, Username = "gateway-small-gw-1", PasswordFile = password, CaFile = ca, CertFile = cert, KeyFile = key, ServerName = "broker.plant.example" };

        Assert.Empty(overrides.Validate());
        var options = BrokerOptions.For(Plant(), new GatewaySettings { Mqtt = overrides }, new Topics(), TimeProvider.System);
        Assert.Equal(("localhost", 8883, "gateway-small-gw-1", "from-install"), (options.Host, options.Port, options.Username, options.Password));
        Assert.Equal((ca, cert, key, "broker.plant.example"), (options.Tls!.CaCertificatePath, options.Tls.ClientCertificatePath, options.Tls.ClientKeyPath, options.Tls.TargetHost));
    }

    [Fact]
    public void Each_wrong_credential_override_is_named()
    {
        var problems = new MqttOverrides
        {
            Password = "x",
            PasswordFile = Write("open.password", "x", secret: false),
            CaFile = Path.Combine(_directory, "missing-ca.crt"),
            KeyFile = Write("k.key", "k", secret: true),
        }.Validate().ToList();

        Assert.Collection(
            problems,
            p => Assert.StartsWith("Gateway:Mqtt:Password and Gateway:Mqtt:PasswordFile are both set", p, StringComparison.Ordinal),
            p => Assert.Contains("readable by every user", p, StringComparison.Ordinal),
            p => Assert.StartsWith("Gateway:Mqtt:CaFile", p, StringComparison.Ordinal),
            p => Assert.StartsWith("Gateway:Mqtt:KeyFile needs Gateway:Mqtt:CertFile", p, StringComparison.Ordinal));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static GatewayPlant Plant()
    {
        var profiles = ProfileLoader.LoadDirectory(Path.Combine(RepositoryPaths.Hardware, "profiles"));
        var site = SiteLoader.LoadFile(Path.Combine(RepositoryPaths.Hardware, "sites", "test-small.json"), profiles);
        return new GatewayPlant(site, site.Gateways[0], Version: 1);
    }

    private string Write(string name, string text, bool secret)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        File.SetUnixFileMode(path, secret ? UnixFileMode.UserRead | UnixFileMode.UserWrite : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        return path;
    }
}
