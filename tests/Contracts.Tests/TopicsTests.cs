namespace Telemetry.Contracts.Tests;

public sealed class TopicsTests
{
    private readonly Topics _topics = new();

    [Fact]
    public void Topic_names_follow_the_contracts()
    {
        Assert.Equal("lighting/north/gw-1/telemetry", _topics.Telemetry("north", "gw-1"));
        Assert.Equal("lighting/north/gw-1/state", _topics.State("north", "gw-1"));
        Assert.Equal("lighting/north/gw-1/event", _topics.Event("north", "gw-1"));
        Assert.Equal("lighting/north/gw-1/cmd/mast-07", _topics.Command("north", "gw-1", "mast-07"));
        Assert.Equal("lighting/alerts/crew-a", _topics.Alerts("crew-a"));
        Assert.Equal("$share/ingest/lighting/+/+/telemetry", Topics.Shared("ingest", _topics.AllTelemetry));
        Assert.Equal("lighting/north/gw-1/reply/api-7f", _topics.Reply("north", "gw-1", "api-7f"));
        Assert.Equal("lighting/+/+/reply/api-7f", _topics.AllRepliesTo("api-7f"));
    }

    [Theory]
    [InlineData("lighting/north/gw-1/telemetry", "north", "gw-1", GatewayTopicKind.Telemetry, null)]
    [InlineData("lighting/north/gw-1/cmd/mast-07", "north", "gw-1", GatewayTopicKind.Command, "mast-07")]
    [InlineData("lighting/north/gw-1/reply/api-7f", "north", "gw-1", GatewayTopicKind.Reply, "api-7f")]
    public void Gateway_topics_parse(string topic, string site, string gateway, GatewayTopicKind kind, string? device)
    {
        Assert.Equal(new GatewayTopic(site, gateway, kind, device), _topics.Parse(topic));
    }

    [Theory]
    [InlineData("other/north/gw-1/telemetry")]
    [InlineData("lighting/north/gw-1/telemetry/extra")]
    [InlineData("lighting/no rth/gw-1/telemetry")]
    [InlineData("lighting//gw-1/telemetry")]
    [InlineData("lighting/north/gw-1/cmd")]
    [InlineData("lighting/north/gw-1/reply")]
    [InlineData("lighting/north/gw-1/reply/a b")]
    public void Other_topics_do_not_parse(string topic) => Assert.Null(_topics.Parse(topic));

    [Theory]
    [InlineData("a b")]
    [InlineData("a/b")]
    [InlineData("a+")]
    [InlineData("#")]
    [InlineData("")]
    [InlineData("路灯")]
    public void Hostile_identifiers_are_refused(string identifier) =>
        Assert.Throws<ArgumentException>(() => _topics.Telemetry(identifier, "gw"));
}
