using Telemetry.Contracts;
using Telemetry.Devices.Sites;

namespace Telemetry.Devices.Tests.Sites;

public sealed class ShippedSiteTests
{
    private static string SitesDirectory => Path.Combine(RepositoryLayout.Root, "hardware", "sites");

    public static TheoryData<string> SiteFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(SitesDirectory, "*.json").Where(f => !f.EndsWith(".schema.json", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SiteFiles))]
    public void Every_shipped_site_loads_and_validates(string file)
    {
        var site = SiteLoader.LoadFile(Path.Combine(SitesDirectory, file), TestSites.Profiles);

        Assert.Equal(Path.GetFileNameWithoutExtension(file), site.Id);
        Assert.NotEmpty(site.Devices);
    }

    [Fact]
    public void The_demo_site_has_every_family_on_tcp_and_on_one_rs485_bus()
    {
        var site = SiteLoader.LoadFile(Path.Combine(SitesDirectory, "demo.json"), TestSites.Profiles, new SiteLoadOptions { Environment = _ => null });

        var gateway = Assert.Single(site.Gateways);
        Assert.InRange(site.Devices.Count(), 20, 40);
        Assert.Equal(Enum.GetValues<DeviceFamily>().ToHashSet(), site.Devices.Select(d => d.Family).ToHashSet());
        Assert.All(gateway.Links.OfType<TcpLink>(), l => Assert.Equal(("127.0.0.1", true), (l.Host, l.Port >= 15020)));
        var bus = Assert.Single(gateway.Links.OfType<RtuLink>());
        Assert.Equal(Path.Combine(RepositoryLayout.Root, ".stack", "pty", "rs485-1-gw"), bus.Device);
        Assert.NotEmpty(gateway.DevicesOn(bus.Id));
        Assert.Contains(site.Devices, d => d.LinkId != bus.Id);
    }

    [Fact]
    public void Hardware_readme_documents_site_files()
    {
        var readme = File.ReadAllText(RepositoryLayout.HardwareReadme);

        Assert.Contains("## Site files", readme, StringComparison.Ordinal);
        foreach (var rule in Enum.GetNames<SiteRule>())
        {
            Assert.True(readme.Contains($"`{rule}`", StringComparison.Ordinal), $"hardware/README.md does not describe the site rule `{rule}`");
        }
    }
}
