using Microsoft.Extensions.Time.Testing;
using Telemetry.Contracts;
using Telemetry.Contracts.Validation;
using Telemetry.Hosting;
using Telemetry.Ingest.Consuming;
using Telemetry.Ingest.Storage;

namespace Telemetry.Ingest.Tests.Consuming;

public sealed class IngestStatisticsTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 22, 19, 0, 0, TimeSpan.Zero));
    private readonly ConsumerProgress _progress;
    private readonly IngestStatistics _statistics;

    public IngestStatisticsTests()
    {
        var limits = new ValidationLimits();
        _progress = new ConsumerProgress(_clock, TimeSpan.FromSeconds(30));
        _statistics = new IngestStatistics(_clock, new GatewayMessageEncoder(new Topics(), new GatewayMessageValidator(limits, _clock), limits), _progress);
    }

    [Fact]
    public void Ingest_is_healthy_only_while_connected_subscribed_and_acknowledging_within_the_age_limit()
    {
        Assert.Equal(HealthStatus.Unhealthy, _statistics.Verdict.Status);
        Assert.Equal(["not connected to the broker", "not subscribed yet"], _statistics.Verdict.Reasons);

        _statistics.BrokerConnected(true);
        _statistics.Subscribed();
        AssertHealthy();

        var hold = _progress.Hold(_clock.GetTimestamp());
        _clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(HealthStatus.Healthy, _statistics.Verdict.Status);
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HealthStatus.Unhealthy, _statistics.Verdict.Status);
        Assert.StartsWith("no progress: the oldest message not acknowledged has waited 31 s", Assert.Single(_statistics.Verdict.Reasons), StringComparison.Ordinal);

        _progress.Release(hold);
        AssertHealthy();
    }

    [Fact]
    public void A_database_missing_makes_Ingest_unhealthy_at_once_and_a_write_being_retried_degraded_until_it_lasts_too_long()
    {
        _statistics.BrokerConnected(true);
        _statistics.Subscribed();

        _progress.Blocked("InfluxDB: database 'telemetry' not found");
        Assert.Equal(HealthStatus.Unhealthy, _statistics.Verdict.Status);
        Assert.Equal("InfluxDB: database 'telemetry' not found", Assert.Single(_statistics.Verdict.Reasons));
        _progress.Blocked(null);

        _progress.Retrying("write to InfluxDB", "503 Service Unavailable", firstOfRun: true);
        Assert.Equal(HealthStatus.Degraded, _statistics.Verdict.Status);
        Assert.Contains("503 Service Unavailable", Assert.Single(_statistics.Verdict.Reasons), StringComparison.Ordinal);
        _clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(HealthStatus.Unhealthy, _statistics.Verdict.Status);

        _progress.Recovered("write to InfluxDB");
        AssertHealthy();
    }

    [Fact]
    public void Messages_that_cannot_be_finished_with_make_Ingest_unhealthy_naming_the_cause()
    {
        _statistics.BrokerConnected(true);
        _statistics.Subscribed();

        _statistics.Unacknowledgeable(2, "a dead letter cannot be written (ArgumentException: bad)");

        Assert.Equal(HealthStatus.Unhealthy, _statistics.Verdict.Status);
        Assert.Equal("2 messages stay unacknowledged until a restart: a dead letter cannot be written (ArgumentException: bad)", Assert.Single(_statistics.Verdict.Reasons));
    }

    private void AssertHealthy()
    {
        var verdict = _statistics.Verdict;
        Assert.Equal(HealthStatus.Healthy, verdict.Status);
        Assert.Empty(verdict.Reasons);
    }
}
