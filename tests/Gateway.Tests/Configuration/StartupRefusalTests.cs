using Telemetry.Testing;

namespace Telemetry.Gateway.Tests.Configuration;

/// <summary>The gateway as it ships (natively compiled under the test command) refuses settings it cannot honour.</summary>
public sealed class StartupRefusalTests
{
    [Fact]
    public async Task Logging_it_cannot_honour_stops_the_start_naming_each_key()
    {
        var settings = new Dictionary<string, string>
        {
            ["Serilog:MinimumLevel:Default"] = "Loud",
            ["Serilog:WriteTo:0:Name"] = "Seq",
            ["Gateway:SiteFile"] = "/nowhere/site.json",
        };

        var refusal = await Assert.ThrowsAsync<InvalidOperationException>(() => ServiceProcess.StartAsync("Gateway", settings));

        Assert.Contains("Serilog:MinimumLevel:Default 'Loud' is not a level", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("Serilog:WriteTo:0:Name 'Seq' is not a sink this service has", refusal.Message, StringComparison.Ordinal);
    }
}
