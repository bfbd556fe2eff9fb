using Microsoft.Extensions.Time.Testing;
using Telemetry.Contracts;
using Telemetry.Gateway.Commands;

namespace Telemetry.Gateway.Tests.Commands;

/// <summary>The envelope and time checks a command passes before the gateway looks at what it asks.</summary>
public sealed class CommandGuardTests
{
    private static readonly TimeSpan Skew = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(10);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 22, 19, 0, 0, TimeSpan.Zero));

    [Fact]
    public void A_current_command_is_admitted_with_its_id_and_expiry()
    {
        var command = Command(issuedAgo: TimeSpan.FromSeconds(1), lifetime: TimeSpan.FromSeconds(60));

        var admitted = CommandGuard.Admit(command, _clock.GetUtcNow(), Skew, MaxLifetime, out var refusal);

        Assert.Null(refusal);
        Assert.Equal(("c-1", _clock.GetUtcNow() + TimeSpan.FromSeconds(59)), admitted);
    }

    [Fact]
    public void A_command_past_its_expiry_is_refused_as_expired_even_by_a_millisecond()
    {
        var command = Command(issuedAgo: TimeSpan.FromSeconds(60) - TimeSpan.FromMilliseconds(1), lifetime: TimeSpan.FromSeconds(60));
        Assert.Null(RefusalOf(command));

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(CommandRefusal.Expired, RefusalOf(command));
    }

    [Fact]
    public void A_command_issued_beyond_the_clock_skew_in_the_future_is_refused_and_within_it_is_taken()
    {
        Assert.Equal(CommandRefusal.IssuedInFuture, RefusalOf(Command(issuedAgo: -TimeSpan.FromSeconds(6), lifetime: TimeSpan.FromSeconds(60))));
        Assert.Null(RefusalOf(Command(issuedAgo: -TimeSpan.FromSeconds(5), lifetime: TimeSpan.FromSeconds(60))));
    }

    [Fact]
    public void A_command_living_longer_than_ids_are_remembered_is_refused()
    {
        Assert.Equal(CommandRefusal.LifetimeTooLong, RefusalOf(Command(issuedAgo: TimeSpan.Zero, lifetime: MaxLifetime + TimeSpan.FromMilliseconds(1))));
        Assert.Null(RefusalOf(Command(issuedAgo: TimeSpan.Zero, lifetime: MaxLifetime)));
    }

    [Theory]
    [InlineData(null, "rig.tests", "2026-11-22T19:00:00.000Z", "2026-11-22T19:01:00.000Z", "'id' is missing")]
    [InlineData("has space", "rig.tests", "2026-11-22T19:00:00.000Z", "2026-11-22T19:01:00.000Z", "'id' must be an identifier")]
    [InlineData("c-1", null, "2026-11-22T19:00:00.000Z", "2026-11-22T19:01:00.000Z", "'issuer' is missing")]
    [InlineData("c-1", "bad\nuser", "2026-11-22T19:00:00.000Z", "2026-11-22T19:01:00.000Z", "'issuer' must be")]
    [InlineData("c-1", "rig.tests", null, "2026-11-22T19:01:00.000Z", "'issued' is missing")]
    [InlineData("c-1", "rig.tests", "2026-11-22T19:00:00Z", "2026-11-22T19:01:00.000Z", "'issued' must be RFC 3339")]
    [InlineData("c-1", "rig.tests", "2026-11-22T19:00:00.000Z", "2026-11-22T20:01:00.000+01:00", "'expires' must be RFC 3339")]
    [InlineData("c-1", "rig.tests", "2026-11-22T19:00:00.000Z", "2026-11-22T19:00:00.000Z", "is not after 'issued'")]
    public void A_missing_or_malformed_envelope_field_is_refused_naming_the_field(string? id, string? issuer, string? issued, string? expires, string expected)
    {
        var command = new DeviceCommand { Id = id, Issuer = issuer, Issued = issued, Expires = expires, Action = "switch", On = true };

        Assert.Null(CommandGuard.Admit(command, _clock.GetUtcNow(), Skew, MaxLifetime, out var refusal));

        Assert.Equal(CommandRefusal.InvalidEnvelope, refusal!.Code);
        Assert.Contains(expected, refusal.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("lighting/north/gw-1/reply/api-1", true)]
    [InlineData("lighting/north/gw-1/reply/test", true)]
    [InlineData("lighting/north/gw-2/reply/api-1", false)]
    [InlineData("lighting/south/gw-1/reply/api-1", false)]
    [InlineData("lighting/north/gw-1/telemetry", false)]
    [InlineData("lighting/north/gw-1/reply/api-1/more", false)]
    [InlineData("lighting/alerts/crew-a", false)]
    [InlineData("replies/test", false)]
    public void Only_the_gateways_own_reply_tree_is_answered(string topic, bool own) =>
        Assert.Equal(own, CommandGuard.IsOwnReplyTopic(new Topics(), "north", "gw-1", topic));

    private string? RefusalOf(DeviceCommand command)
    {
        CommandGuard.Admit(command, _clock.GetUtcNow(), Skew, MaxLifetime, out var refusal);
        return refusal?.Code;
    }

    private DeviceCommand Command(TimeSpan issuedAgo, TimeSpan lifetime)
    {
        var issued = _clock.GetUtcNow() - issuedAgo;
        return new DeviceCommand
        {
            Id = "c-1",
            Issuer = "engineer.wang",
            Issued = CommandEnvelope.FormatTime(issued),
            Expires = CommandEnvelope.FormatTime(issued + lifetime),
            Action = "switch",
            On = true,
        };
    }
}
