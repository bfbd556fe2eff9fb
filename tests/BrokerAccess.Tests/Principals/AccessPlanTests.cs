using Telemetry.BrokerAccess;
using Telemetry.BrokerAccess.Principals;
using Telemetry.Contracts;
using Telemetry.Testing;

namespace Telemetry.BrokerAccess.Tests.Principals;

public sealed class AccessPlanTests
{
    private static readonly IReadOnlyList<Principal> Demo = AccessPlan.For(
        SiteFiles.Load([Path.Combine(RepositoryPaths.Hardware, "sites", "demo.json")]), new Topics());

    private static string[] Lines(string name) => [.. Demo.Single(p => p.Name == name).Acl.Select(e => e.ToString())];

    [Fact]
    public void A_gateway_writes_only_its_own_tree_and_reads_only_its_own_commands_and_replay_requests()
    {
        Assert.Equal(
            [
                "topic write lighting/demo/gw-demo-01/telemetry",
                "topic write lighting/demo/gw-demo-01/state",
                "topic write lighting/demo/gw-demo-01/event",
                "topic write lighting/demo/gw-demo-01/reply/#",
                "topic read lighting/demo/gw-demo-01/cmd/#",
                "topic read lighting/demo/gw-demo-01/replay/+",
                "topic write lighting/demo/gw-demo-01/replayed/+",
            ],
            Lines("gateway-demo-gw-demo-01"));
    }

    [Fact]
    public void Ingest_reads_the_gateways_streams_and_its_replays_and_writes_only_its_replay_requests_data_gaps_and_dead_letters()
    {
        Assert.Equal(
            [
                "topic read lighting/+/+/telemetry", "topic read lighting/+/+/state", "topic read lighting/+/+/event",
                "topic write lighting/+/+/replay/ingest", "topic read lighting/+/+/replayed/ingest", "topic write lighting/datagap/ingest",
                "topic write lighting/deadletter/ingest",
            ],
            Lines("ingest"));
    }

    [Fact]
    public void Only_rules_reads_the_data_gap_reports_and_each_group_writes_its_own()
    {
        var readers = Demo.Where(p => p.Name != "observer" && p.Acl.Any(e => e.Access == TopicAccess.Read && e.TopicFilter.StartsWith("lighting/datagap", StringComparison.Ordinal))).Select(p => p.Name);
        var writers = Demo.SelectMany(p => p.Acl.Where(e => e.Access != TopicAccess.Read && e.TopicFilter.StartsWith("lighting/datagap", StringComparison.Ordinal)).Select(e => $"{p.Name} {e.TopicFilter}"));

        Assert.Equal(["rules"], readers);
        Assert.Equal(["ingest lighting/datagap/ingest", "rules lighting/datagap/rules"], writers.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Only_the_api_may_publish_commands()
    {
        var writers = Demo.Where(p => p.Acl.Any(e => e.Access != TopicAccess.Read && e.TopicFilter.Contains("/cmd/", StringComparison.Ordinal))).Select(p => p.Name);

        Assert.Equal(["api"], writers);
        Assert.Contains("topic read lighting/+/+/reply/#", Lines("api"));
    }

    [Fact]
    public void Only_rules_may_publish_alerts()
    {
        var writers = Demo.Where(p => p.Acl.Any(e => e.Access != TopicAccess.Read && e.TopicFilter.StartsWith("lighting/alerts", StringComparison.Ordinal))).Select(p => p.Name);

        Assert.Equal(["rules"], writers);
    }

    [Fact]
    public void Every_crew_named_by_a_device_reads_its_own_alerts_only()
    {
        var crews = Demo.Where(p => p.Name.StartsWith("alerts-", StringComparison.Ordinal)).ToList();

        Assert.Equal(["alerts-crew-central", "alerts-crew-masts", "alerts-crew-north", "alerts-crew-west"], crews.Select(p => p.Name));
        Assert.Equal(["topic read lighting/alerts/crew-north"], Lines("alerts-crew-north"));
    }

    [Fact]
    public void The_observer_reads_everything_under_the_root_and_writes_nothing()
    {
        Assert.Equal(["topic read lighting/#"], Lines("observer"));
    }

    [Fact]
    public void Another_root_moves_every_line()
    {
        var principals = AccessPlan.For(SiteFiles.Load([Path.Combine(RepositoryPaths.Hardware, "sites", "demo.json")]), new Topics("city"));

        Assert.All(principals.SelectMany(p => p.Acl), e => Assert.StartsWith("city/", e.TopicFilter, StringComparison.Ordinal));
    }

    [Fact]
    public void An_extra_principal_is_added_and_one_with_a_known_name_gets_more_lines()
    {
        var principals = AccessPlan.For(
            SiteFiles.Load([Path.Combine(RepositoryPaths.Hardware, "sites", "demo.json")]),
            new Topics(),
            [new Principal("harness", [AclEntry.Parse("topic readwrite #")]), new Principal("observer", [AclEntry.Parse("topic read $SYS/#")])]);

        Assert.Equal(["topic readwrite #"], principals.Single(p => p.Name == "harness").Acl.Select(e => e.ToString()));
        Assert.Equal(["topic read lighting/#", "topic read $SYS/#"], principals.Single(p => p.Name == "observer").Acl.Select(e => e.ToString()));
    }

    [Fact]
    public void The_same_site_twice_is_refused()
    {
        var demo = SiteFiles.Load([Path.Combine(RepositoryPaths.Hardware, "sites", "demo.json")]);

        var refused = Assert.Throws<AccessRefusedException>(() => AccessPlan.For([.. demo, .. demo], new Topics()));

        Assert.Contains("gateway-demo-gw-demo-01", refused.Message, StringComparison.Ordinal);
    }
}
