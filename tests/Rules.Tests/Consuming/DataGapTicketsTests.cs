using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Telemetry.Contracts;
using Telemetry.Contracts.Validation;
using Telemetry.Maintenance.Faults;
using Telemetry.Rules.Configuration;
using Telemetry.Rules.Consuming;
using Telemetry.Testing;

namespace Telemetry.Rules.Tests.Consuming;

/// <summary>A consumer group's data-gap report becomes one ticket on the gateway; a report that breaks the contract is refused with its reason.</summary>
public sealed class DataGapTicketsTests : IDisposable
{
    private const string Topic = "lighting/datagap/ingest";
    private readonly string _directory = RepositoryPaths.NewScratchDirectory("data-gap-tickets");
    private readonly DataGapTickets _tickets;

    public DataGapTicketsTests()
    {
        var siteFile = Path.Combine(_directory, "site.json");
        File.WriteAllText(siteFile, PlantRig.SiteJson(
            new PlantRigOptions { Devices = [new PlantDevice("box-01", "ak-dbm300", "distribution_box", false, 1, 1, Crew: "crew-central")] }, null, 1502));
        var settings = new RulesSettings { SiteFiles = [siteFile], ProfilesDirectory = Path.Combine(RepositoryPaths.Hardware, "profiles"), Database = Path.Combine(_directory, "m.db") };
        _tickets = new DataGapTickets(new PlantFiles(settings, NullLogger<PlantFiles>.Instance), new Topics());
    }

    [Fact]
    public void Only_a_groups_data_gap_topic_is_one()
    {
        Assert.True(_tickets.IsDataGap(Topic));
        Assert.False(_tickets.IsDataGap("lighting/datagap/ingest/more"));
        Assert.False(_tickets.IsDataGap("lighting/rig/gw-rig/telemetry"));
        Assert.False(_tickets.IsDataGap("elsewhere/datagap/ingest"));
    }

    [Theory]
    [InlineData("{", "malformed_json")]
    [InlineData("null", "the payload is JSON null")]
    [InlineData("""{"v":2,"group":"ingest","site":"rig","gateway":"gw-rig","first":5,"last":9,"reason":"not_held","since":"2026-12-07T08:00:00Z","at":"2026-12-07T08:01:00Z"}""", "version 2")]
    [InlineData("""{"v":1,"group":"rules","site":"rig","gateway":"gw-rig","first":5,"last":9,"reason":"not_held","since":"2026-12-07T08:00:00Z","at":"2026-12-07T08:01:00Z"}""", "not the topic's group")]
    [InlineData("""{"v":1,"group":"ingest","site":"rig/x","gateway":"gw-rig","first":5,"last":9,"reason":"not_held","since":"2026-12-07T08:00:00Z","at":"2026-12-07T08:01:00Z"}""", "identifiers")]
    [InlineData("""{"v":1,"group":"ingest","site":"rig","gateway":"gw-rig","first":9,"last":5,"reason":"not_held","since":"2026-12-07T08:00:00Z","at":"2026-12-07T08:01:00Z"}""", "not a range")]
    [InlineData("""{"v":1,"group":"ingest","site":"rig","gateway":"gw-rig","first":5,"last":9,"reason":"<script>","since":"2026-12-07T08:00:00Z","at":"2026-12-07T08:01:00Z"}""", "is not one of")]
    [InlineData("""{"v":1,"group":"ingest","site":"rig","gateway":"gw-rig","first":5,"reason":"not_held","since":"2026-12-07T08:00:00Z","at":"2026-12-07T08:01:00Z"}""", "last")]
    public void A_report_that_breaks_the_contract_is_refused_with_its_reason_and_the_next_one_opens_the_ticket(string payload, string why)
    {
        Assert.Null(_tickets.Read(Topic, Encoding.UTF8.GetBytes(payload), out var rejection));
        Assert.NotNull(rejection);
        Assert.Equal(RejectionReason.MalformedJson, rejection.Reason);
        Assert.True(rejection.Detail.Contains(why, StringComparison.Ordinal) || why == "malformed_json", rejection.Detail);

        var detected = _tickets.Read(Topic, Encoding.UTF8.GetBytes(Valid), out rejection);
        Assert.Null(rejection);
        Assert.NotNull(detected);
    }

    [Fact]
    public void A_report_names_the_gateway_the_group_and_the_lost_range_on_a_grade_3_ticket_for_the_gateways_crew()
    {
        var detected = _tickets.Read(Topic, Encoding.UTF8.GetBytes(Valid), out var rejection);
        Assert.Null(rejection);
        Assert.NotNull(detected);
        Assert.Equal((new AssetRef("rig", "gw-rig"), FaultType.DataGap, FaultGrade.Grade3, "crew-central"), (detected.Asset, detected.Fault, detected.Grade, detected.Crew));
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 8, 1, 0, TimeSpan.Zero), detected.At);
        Assert.Contains("(120-184)", detected.Summary, StringComparison.Ordinal);
        Assert.Contains("gateway rig/gw-rig never reached ingest", detected.Summary, StringComparison.Ordinal);
        Assert.Equal(65, detected.Evidence["batches"]);
    }

    private const string Valid =
        """{"v":1,"group":"ingest","site":"rig","gateway":"gw-rig","first":120,"last":184,"reason":"not_held","since":"2026-12-07T08:00:00Z","at":"2026-12-07T08:01:00Z"}""";

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
