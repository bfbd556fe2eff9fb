using Telemetry.Gateway.Configuration;

namespace Telemetry.Gateway.Tests.Configuration;

/// <summary>The <c>Gateway:BatteryTests</c> section refuses each value it cannot honour, naming the key.</summary>
public sealed class BatteryTestSettingsTests
{
    [Fact]
    public void The_defaults_are_valid() => Assert.Empty(new BatteryTestSettings().Validate());

    [Theory]
    [InlineData("00:00:00.500")]
    [InlineData("02:00:00")]
    public void A_plan_interval_out_of_range_is_refused_naming_its_key(string interval)
    {
        var problem = Assert.Single(new BatteryTestSettings { PlanInterval = TimeSpan.Parse(interval, System.Globalization.CultureInfo.InvariantCulture) }.Validate());

        Assert.StartsWith("Gateway:BatteryTests:PlanInterval", problem, StringComparison.Ordinal);
    }
}
