using Telemetry.Gateway.Configuration;

namespace Telemetry.Gateway.Tests.Configuration;

/// <summary>The <c>Gateway:Commands</c> section refuses each value it cannot honour, naming the key.</summary>
public sealed class CommandSettingsTests
{
    [Fact]
    public void The_defaults_are_valid() => Assert.Empty(new CommandSettings().Validate());

    [Theory]
    [InlineData(nameof(CommandSettings.MaxQueued), 0, "Gateway:Commands:MaxQueued")]
    [InlineData(nameof(CommandSettings.MaxPayloadBytes), 100, "Gateway:Commands:MaxPayloadBytes")]
    [InlineData(nameof(CommandSettings.MaxQueuedBytes), 1000, "Gateway:Commands:MaxQueuedBytes")]
    [InlineData(nameof(CommandSettings.MaxRememberedIds), 10, "Gateway:Commands:MaxRememberedIds")]
    [InlineData(nameof(CommandSettings.MaxPendingBusyAnswers), -1, "Gateway:Commands:MaxPendingBusyAnswers")]
    public void A_count_out_of_range_is_refused_naming_its_key(string property, int value, string key)
    {
        var settings = new CommandSettings();
        typeof(CommandSettings).GetProperty(property)!.SetValue(settings, value);

        Assert.Contains(settings.Validate(), p => p.StartsWith(key, StringComparison.Ordinal));
    }

    [Fact]
    public void A_lifetime_or_clock_skew_out_of_range_is_refused_naming_its_key()
    {
        var problems = new CommandSettings { MaxLifetime = TimeSpan.FromDays(2), ClockSkew = TimeSpan.FromSeconds(-1) }.Validate().ToList();

        Assert.Contains(problems, p => p.StartsWith("Gateway:Commands:MaxLifetime", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Gateway:Commands:ClockSkew", StringComparison.Ordinal));
    }
}
