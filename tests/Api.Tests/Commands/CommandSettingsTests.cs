using Telemetry.Api.Commands;

namespace Telemetry.Api.Tests.Commands;

/// <summary>The <c>Commands</c> section refuses each value it cannot honour, naming the key.</summary>
public sealed class CommandSettingsTests
{
    [Fact]
    public void The_defaults_are_valid_and_a_command_lives_a_minute()
    {
        Assert.Empty(new CommandSettings().Validate());
        Assert.Equal(TimeSpan.FromSeconds(60), new CommandSettings().Lifetime);
    }

    [Theory]
    [InlineData("00:00:00.500")]
    [InlineData("00:10:01")]
    public void A_lifetime_outside_a_second_to_ten_minutes_is_refused_naming_the_key(string lifetime)
    {
        var problems = new CommandSettings { Lifetime = TimeSpan.Parse(lifetime, System.Globalization.CultureInfo.InvariantCulture) }.Validate();

        Assert.Contains(problems, p => p.StartsWith("Commands:Lifetime", StringComparison.Ordinal));
    }
}
