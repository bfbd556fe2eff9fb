using Telemetry.InfluxDb.LineProtocol;

namespace Telemetry.InfluxDb.Tests.Integration;

public sealed class RetryTests(InfluxServerFixture influx) : IClassFixture<InfluxServerFixture>
{
    [Fact]
    public async Task A_write_while_the_server_is_down_is_retried_until_it_is_back()
    {
        var logger = new RecordingLogger();
        using var client = await influx.ClientOfNewDatabaseAsync(
            o => o with { MaxAttempts = 200, InitialBackoff = TimeSpan.FromMilliseconds(50), MaxBackoff = TimeSpan.FromMilliseconds(200), RequestTimeout = TimeSpan.FromSeconds(5) },
            logger);
        await client.WriteAsync([new Point("m").Tag("phase", "before").Field("v", 1.0).Timestamp(1000L)]);

        influx.Server.Kill();
        var write = client.WriteAsync([new Point("m").Tag("phase", "during").Field("v", 2.0).Timestamp(2000L)]);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (logger.WarningCount < 3 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.True(logger.WarningCount >= 3, string.Join('\n', logger.Messages));
        Assert.False(write.IsCompleted);
        await influx.Server.StartAgainAsync();
        await write.WaitAsync(TimeSpan.FromSeconds(60));

        var result = await client.QueryAsync("SELECT COUNT(v) FROM m", null);
        Assert.Equal(2, result.Series[0].GetInt64(0, "count"));
        Assert.Contains(logger.Messages, m => m.Contains("write: attempt", StringComparison.Ordinal));
    }
}
