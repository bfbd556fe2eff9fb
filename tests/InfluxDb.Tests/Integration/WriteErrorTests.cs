using System.Net;
using Telemetry.InfluxDb.LineProtocol;
using Telemetry.Testing;

namespace Telemetry.InfluxDb.Tests.Integration;

public sealed class WriteErrorTests(InfluxServerFixture influx) : IClassFixture<InfluxServerFixture>
{
    [Fact]
    public async Task A_bad_request_surfaces_the_server_message_and_is_not_retried()
    {
        var logger = new RecordingLogger();
        using var client = await influx.ClientOfNewDatabaseAsync(logger: logger);

        var error = await Assert.ThrowsAsync<InfluxWriteException>(() => client.WriteAsync("this is not line protocol\n"u8.ToArray()));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.StartsWith("unable to parse 'this is not line protocol'", error.ServerMessage, StringComparison.Ordinal);
        Assert.Contains(error.ServerMessage!, error.Message, StringComparison.Ordinal);
        Assert.Equal(1, error.Attempts);
        Assert.False(error.IsTransient);
        Assert.Equal(0, logger.WarningCount);
    }

    [Fact]
    public async Task A_field_type_conflict_is_a_partial_write_naming_the_dropped_points()
    {
        using var client = await influx.ClientOfNewDatabaseAsync();
        await client.WriteAsync([new Point("m").Field("v", 1.0).Timestamp(1000L)]);

        var error = await Assert.ThrowsAsync<InfluxWriteException>(() => client.WriteAsync(
            [new Point("m").Field("v", 2.0).Timestamp(2000L), new Point("m").Field("v", "text").Timestamp(3000L)]));

        Assert.True(error.IsPartialWrite);
        Assert.Equal(1, error.DroppedPoints);
        Assert.Contains("field type conflict", error.ServerMessage, StringComparison.Ordinal);
        Assert.Equal(1, error.Attempts);
        var count = await client.QueryAsync("SELECT COUNT(v) FROM m", null);
        Assert.Equal(2, count.Series[0].GetInt64(0, "count"));
    }

    [Fact]
    public async Task Writing_to_a_missing_database_is_a_clear_error()
    {
        using var client = influx.Client(influx.Options("no_such_database"));

        var error = await Assert.ThrowsAsync<InfluxWriteException>(() => client.WriteAsync([new Point("m").Field("v", 1.0)]));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.True(error.IsDatabaseNotFound);
        Assert.Contains("database not found: \"no_such_database\"", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, error.Attempts);
    }

    [Fact]
    public async Task A_server_that_never_answers_gives_a_transient_error_after_all_attempts()
    {
        var logger = new RecordingLogger();
        using var client = influx.Client(influx.Options("db") with { BaseAddress = new($"http://127.0.0.1:{FreePort.Next()}/") }, logger);

        var error = await Assert.ThrowsAsync<InfluxWriteException>(() => client.WriteAsync([new Point("m").Field("v", 1.0)]));

        Assert.True(error.IsTransient);
        Assert.Null(error.StatusCode);
        Assert.Equal(3, error.Attempts);
        Assert.Equal(2, logger.WarningCount);
        Assert.IsAssignableFrom<HttpRequestException>(error.InnerException);
    }

    [Fact]
    public async Task Queries_that_fail_surface_the_server_message()
    {
        using var client = await influx.ClientOfNewDatabaseAsync();

        var syntax = await Assert.ThrowsAsync<InfluxQueryException>(() => client.QueryAsync("SELECT FROM", null));
        Assert.Equal(HttpStatusCode.BadRequest, syntax.StatusCode);
        Assert.StartsWith("error parsing query", syntax.ServerMessage, StringComparison.Ordinal);

        var statement = await Assert.ThrowsAsync<InfluxQueryException>(() => client.QueryAsync("SHOW DATABASES; SELECT v FROM no_such_database.autogen.m", null));
        Assert.Equal(1, statement.StatementId);
        Assert.Contains("database not found", statement.ServerMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Creating_a_database_twice_is_harmless_and_any_name_works()
    {
        const string Name = "db with \"quotes\", 'single', spaces and 路灯";
        using var client = influx.Client(influx.Options(Name));

        await client.CreateDatabaseAsync(Name);
        await client.CreateDatabaseAsync(Name);
        await client.WriteAsync([new Point("m").Field("v", 1.0).Timestamp(1L)]);

        var databases = await client.QueryAsync("SHOW DATABASES", string.Empty);
        var names = Enumerable.Range(0, databases.Series[0].RowCount).Select(r => databases.Series[0].GetString(r, 0));
        Assert.Contains(Name, names);
        Assert.Equal(1, (await client.QueryAsync("SELECT COUNT(v) FROM m", null)).Series[0].GetInt64(0, "count"));
    }

    [Fact]
    public async Task Ping_reports_the_server_version()
    {
        using var client = influx.Client(influx.Options("db"));

        var ping = await client.PingAsync();

        Assert.StartsWith("1.", ping.Version, StringComparison.Ordinal);
    }
}
