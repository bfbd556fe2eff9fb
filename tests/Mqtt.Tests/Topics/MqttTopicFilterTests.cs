using Xunit;

namespace Telemetry.Mqtt.Tests.Topics;

public sealed class MqttTopicFilterTests
{
    [Theory]
    [InlineData("sport/tennis/player1", "sport/tennis/player1", true)]
    [InlineData("sport/tennis/player1/#", "sport/tennis/player1", true)] // '#' includes the parent level
    [InlineData("sport/tennis/player1/#", "sport/tennis/player1/ranking", true)]
    [InlineData("sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon", true)]
    [InlineData("sport/#", "sport", true)]
    [InlineData("#", "sport/tennis", true)]
    [InlineData("#", "/", true)]
    [InlineData("sport/tennis/+", "sport/tennis/player1", true)]
    [InlineData("sport/tennis/+", "sport/tennis/player1/ranking", false)]
    [InlineData("sport/+", "sport", false)]
    [InlineData("sport/+", "sport/", true)] // '+' matches an empty level
    [InlineData("+/+", "/finance", true)]
    [InlineData("/+", "/finance", true)]
    [InlineData("+", "/finance", false)]
    [InlineData("+/tennis/#", "sport/tennis/player1", true)]
    [InlineData("a/+/#", "a/b", true)]
    [InlineData("a/b", "a/b/c", false)]
    [InlineData("a/b/c", "a/b", false)]
    [InlineData("a/b", "A/b", false)] // case sensitive
    [InlineData("a//b", "a//b", true)]
    [InlineData("a/+/b", "a//b", true)]
    [InlineData("#", "$SYS/broker/uptime", false)] // $-topics are not matched by a leading wildcard
    [InlineData("+/monitor/Clients", "$SYS/monitor/Clients", false)]
    [InlineData("$SYS/#", "$SYS/broker/uptime", true)]
    [InlineData("$SYS/monitor/+", "$SYS/monitor/Clients", true)]
    [InlineData("$share/group/sport/#", "sport/tennis", true)]
    [InlineData("$share/group/sport/+", "sport/tennis/player1", false)]
    [InlineData("$share/group/#", "$SYS/broker", false)]
    [InlineData("$share/g/a/b", "a/b", true)]
    [InlineData("$share/g/a/b", "$share/g/a/b", false)]
    public void Matches_follows_the_specification(string filter, string topic, bool expected)
    {
        Assert.Equal(expected, MqttTopicFilter.Matches(filter, topic));
    }

    [Theory]
    [InlineData("#")]
    [InlineData("+")]
    [InlineData("a/#")]
    [InlineData("+/b/+/#")]
    [InlineData("/")]
    [InlineData("a//b")]
    [InlineData("$SYS/#")]
    [InlineData("$share/group/a/+")]
    [InlineData("$share/group/#")]
    [InlineData("$sharex/a")] // not the $share prefix: an ordinary filter
    public void Valid_filters_are_accepted(string filter)
    {
        Assert.True(MqttTopicFilter.IsValid(filter));
        MqttTopicFilter.Validate(filter);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/#/b")] // '#' must be last
    [InlineData("a#")] // '#' must be a whole level
    [InlineData("a/b#")]
    [InlineData("a+/b")] // '+' must be a whole level
    [InlineData("a/+b")]
    [InlineData("##")]
    [InlineData("$share/group")] // no filter
    [InlineData("$share/group/")] // empty filter
    [InlineData("$share//a")] // empty share name
    [InlineData("$share/gr+oup/a")] // wildcard in the share name
    [InlineData("$share/gr#/a")]
    [InlineData("$share/g/a/#/b")] // invalid inner filter
    [InlineData("a\0b")] // U+0000
    public void Invalid_filters_are_refused_with_a_reason(string filter)
    {
        Assert.False(MqttTopicFilter.IsValid(filter));
        var exception = Assert.Throws<ArgumentException>(() => MqttTopicFilter.Validate(filter));
        Assert.Contains("Invalid topic filter", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("a/b/c")]
    [InlineData("/")]
    [InlineData("$SYS/x")]
    [InlineData("é/漢/😀")]
    public void Valid_topic_names_are_accepted(string topic)
    {
        Assert.True(MqttTopicName.IsValid(topic));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/+")]
    [InlineData("a/#")]
    [InlineData("a+")]
    [InlineData("a\0")]
    public void Topic_names_must_not_be_empty_or_contain_wildcards(string topic)
    {
        Assert.False(MqttTopicName.IsValid(topic));
        Assert.Throws<ArgumentException>(() => MqttTopicName.Validate(topic));
    }

    [Fact]
    public void A_filter_with_an_unpaired_surrogate_is_refused()
    {
        var filter = "a" + (char)0xD800 + "b";

        Assert.False(MqttTopicFilter.IsValid(filter));
        Assert.False(MqttTopicName.IsValid(filter));
    }

    [Fact]
    public void Matching_refuses_an_invalid_filter_or_topic()
    {
        Assert.Throws<ArgumentException>(() => MqttTopicFilter.Matches("a/#/b", "a/x/b"));
        Assert.Throws<ArgumentException>(() => MqttTopicFilter.Matches("a/#", "a/+"));
    }

    [Fact]
    public void A_topic_longer_than_65535_UTF8_bytes_is_invalid()
    {
        Assert.False(MqttTopicName.IsValid(new string('é', 40_000)));
        Assert.True(MqttTopicName.IsValid(new string('a', 65_535)));
    }

    [Fact]
    public void Shared_subscriptions_are_parsed_into_share_name_and_filter()
    {
        Assert.True(MqttTopicFilter.TryParseShared("$share/workers/plant/+/status", out var share, out var inner));
        Assert.Equal(("workers", "plant/+/status"), (share, inner));
        Assert.False(MqttTopicFilter.TryParseShared("plant/+/status", out _, out _));
    }
}
