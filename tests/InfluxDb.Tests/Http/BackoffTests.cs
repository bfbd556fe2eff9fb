using Microsoft.Extensions.Logging.Abstractions;
using Telemetry.InfluxDb.Http;

namespace Telemetry.InfluxDb.Tests.Http;

public sealed class BackoffTests
{
    private static readonly InfluxTransport Transport = new(new HttpClient(), new InfluxClientOptions
    {
        Database = "db",
        InitialBackoff = TimeSpan.FromMilliseconds(100),
        MaxBackoff = TimeSpan.FromSeconds(1),
        BackoffJitter = 0.5,
    }, NullLogger.Instance, TimeProvider.System);

    [Theory]
    [InlineData(1, 100)]
    [InlineData(2, 200)]
    [InlineData(3, 400)]
    [InlineData(4, 800)]
    [InlineData(5, 1000)]
    [InlineData(60, 1000)]
    public void Delays_double_up_to_the_maximum_without_jitter_at_the_top(int retry, double expected)
    {
        Assert.Equal(expected, Transport.Backoff(retry, null, random: 0).TotalMilliseconds, precision: 3);
    }

    [Fact]
    public void Jitter_takes_at_most_its_share_off_the_delay()
    {
        Assert.Equal(200, Transport.Backoff(3, null, random: 1).TotalMilliseconds, precision: 3);
        Assert.Equal(300, Transport.Backoff(3, null, random: 0.5).TotalMilliseconds, precision: 3);
    }

    [Fact]
    public void A_retry_after_from_the_server_lengthens_the_delay_up_to_the_maximum()
    {
        Assert.Equal(700, Transport.Backoff(1, TimeSpan.FromMilliseconds(700), random: 0).TotalMilliseconds, precision: 3);
        Assert.Equal(1000, Transport.Backoff(1, TimeSpan.FromMinutes(5), random: 0).TotalMilliseconds, precision: 3);
    }
}
