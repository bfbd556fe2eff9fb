using Telemetry.InfluxDb.LineProtocol;
using Telemetry.InfluxDb.Writing;

namespace Telemetry.InfluxDb.Tests.Integration;

public sealed class BulkWriteTests(InfluxServerFixture influx) : IClassFixture<InfluxServerFixture>
{
    private const int Total = 100_000;
    private const long Start = 1_700_000_000_000;

    [Fact]
    public async Task A_hundred_thousand_points_written_in_concurrent_batches_read_back_complete()
    {
        using var client = await influx.ClientOfNewDatabaseAsync();

        await WriteAsync(client, 0, Total, maxPoints: 5000, inFlight: 4);

        var count = await client.QueryAsync("SELECT COUNT(value), SUM(seq) FROM bulk", null);
        Assert.Equal(Total, count.Series[0].GetInt64(0, "count"));
        Assert.Equal((long)Total * (Total - 1) / 2, count.Series[0].GetInt64(0, "sum"));
        var series = await client.QueryAsync("SHOW SERIES FROM bulk", null);
        Assert.Equal(100, series.Series[0].RowCount);
    }

    [Fact]
    public async Task Redelivered_points_overwrite_themselves_instead_of_adding_up()
    {
        using var client = await influx.ClientOfNewDatabaseAsync(o => o with { Gzip = false });
        await WriteAsync(client, 0, 20_000, maxPoints: 5000, inFlight: 2);

        await WriteAsync(client, 5_000, 10_000, maxPoints: 1000, inFlight: 1);
        await WriteAsync(client, 0, 20_000, maxPoints: 20_000, inFlight: 1);

        var count = await client.QueryAsync("SELECT COUNT(value), SUM(seq) FROM bulk", null);
        Assert.Equal(20_000, count.Series[0].GetInt64(0, "count"));
        Assert.Equal(20_000L * 19_999 / 2, count.Series[0].GetInt64(0, "sum"));
    }

    /// <summary>Points <paramref name="from"/> to <paramref name="from"/> + <paramref name="count"/> - 1 of a
    /// deterministic stream (100 series), batched and written with several writes in flight.</summary>
    private static async Task WriteAsync(InfluxClient client, int from, int count, int maxPoints, int inFlight)
    {
        using var builder = new PointBatchBuilder(maxPoints, maxBytes: 4 << 20);
        using var gate = new SemaphoreSlim(inFlight);
        var writes = new List<Task>();
        var point = new Point("bulk");
        for (var i = from; i < from + count; i++)
        {
            builder.Add(point.Reset("bulk").Tag("sensor", $"s{i % 100:D3}").Tag("site", "north").Field("value", i * 0.5).Field("seq", (long)i).Timestamp(Start + i));
            if (builder.IsFull || i == from + count - 1)
            {
                var batch = builder.TakeBatch();
                await gate.WaitAsync();
                writes.Add(SendAsync(batch));
            }
        }

        await Task.WhenAll(writes);

        async Task SendAsync(LineProtocolBatch batch)
        {
            try
            {
                await client.WriteAsync(batch.Body);
            }
            finally
            {
                batch.Dispose();
                gate.Release();
            }
        }
    }
}
