using System.Net;
using System.Text;
using Telemetry.InfluxDb.LineProtocol;

namespace Telemetry.InfluxDb.Tests.Http;

public sealed class InfluxClientTests
{
    private static readonly InfluxClientOptions Fast = new()
    {
        BaseAddress = new("http://influx.test:8086/"),
        Database = "plant",
        MaxAttempts = 4,
        InitialBackoff = TimeSpan.FromMilliseconds(1),
        MaxBackoff = TimeSpan.FromMilliseconds(5),
    };

    private static readonly byte[] Body = Encoding.UTF8.GetBytes("m v=1 1\n");

    [Fact]
    public async Task A_write_posts_gzipped_line_protocol_with_millisecond_precision()
    {
        var stub = new StubHandler().Answer(HttpStatusCode.NoContent);
        using var client = Client(stub, Fast with { RetentionPolicy = "two weeks" });

        await client.WriteAsync(Body);

        var request = Assert.Single(stub.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("http://influx.test:8086/write?db=plant&rp=two%20weeks&precision=ms", request.Uri.AbsoluteUri);
        Assert.Equal(["gzip"], request.ContentEncoding);
        Assert.Equal("text/plain; charset=utf-8", request.ContentType);
        Assert.Equal("m v=1 1\n", request.Body);
    }

    [Fact]
    public async Task Without_gzip_the_body_is_sent_as_is()
    {
        var stub = new StubHandler().Answer(HttpStatusCode.NoContent);
        using var client = Client(stub, Fast with { Gzip = false });

        await client.WriteAsync(Body);

        var request = Assert.Single(stub.Requests);
        Assert.Empty(request.ContentEncoding);
        Assert.Equal(Body, request.RawBody);
    }

    [Fact]
    public async Task Server_errors_and_network_errors_are_retried_until_the_write_succeeds()
    {
        var stub = new StubHandler()
            .Answer(HttpStatusCode.ServiceUnavailable, """{"error":"busy"}""")
            .Fail(new HttpRequestException("connection refused"))
            .Answer(HttpStatusCode.InternalServerError, """{"error":"timeout"}""")
            .Answer(HttpStatusCode.NoContent);
        using var client = Client(stub, Fast);

        await client.WriteAsync(Body);

        Assert.Equal(4, stub.Requests.Count);
        Assert.All(stub.Requests, r => Assert.Equal("m v=1 1\n", r.Body));
    }

    [Fact]
    public async Task A_bad_request_is_not_retried_and_carries_the_server_message()
    {
        var stub = new StubHandler().Answer(HttpStatusCode.BadRequest, """{"error":"unable to parse 'm v=': missing field value"}""");
        using var client = Client(stub, Fast);

        var error = await Assert.ThrowsAsync<InfluxWriteException>(() => client.WriteAsync(Body));

        Assert.Single(stub.Requests);
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal("unable to parse 'm v=': missing field value", error.ServerMessage);
        Assert.False(error.IsTransient);
        Assert.False(error.IsPartialWrite);
        Assert.Equal(1, error.Attempts);
        Assert.Contains("missing field value", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_partial_write_is_flagged_with_the_dropped_count()
    {
        var stub = new StubHandler().Answer(HttpStatusCode.BadRequest,
            """{"error":"partial write: field type conflict: input field \"v\" on measurement \"m\" is type string, already exists as type float dropped=3"}""");
        using var client = Client(stub, Fast);

        var error = await Assert.ThrowsAsync<InfluxWriteException>(() => client.WriteAsync(Body));

        Assert.True(error.IsPartialWrite);
        Assert.Equal(3, error.DroppedPoints);
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized, """{"error":"authorization failed"}""")]
    [InlineData(HttpStatusCode.Forbidden, """{"error":"forbidden"}""")]
    [InlineData(HttpStatusCode.NotFound, """{"error":"database not found: \"plant\""}""")]
    [InlineData(HttpStatusCode.RequestEntityTooLarge, """{"error":"http: request body too large"}""")]
    public async Task Client_errors_are_not_retried(HttpStatusCode status, string json)
    {
        var stub = new StubHandler().Answer(status, json);
        using var client = Client(stub, Fast);

        var error = await Assert.ThrowsAsync<InfluxWriteException>(() => client.WriteAsync(Body));

        Assert.Single(stub.Requests);
        Assert.Equal(status, error.StatusCode);
        Assert.False(error.IsTransient);
        Assert.Equal(status == HttpStatusCode.NotFound, error.IsDatabaseNotFound);
    }

    [Fact]
    public async Task After_the_last_attempt_a_transient_failure_is_thrown_as_such()
    {
        var stub = new StubHandler();
        for (var i = 0; i < 4; i++)
        {
            stub.Fail(new HttpRequestException("connection refused"));
        }

        using var client = Client(stub, Fast);

        var error = await Assert.ThrowsAsync<InfluxWriteException>(() => client.WriteAsync(Body));

        Assert.Equal(4, stub.Requests.Count);
        Assert.True(error.IsTransient);
        Assert.Null(error.StatusCode);
        Assert.Equal(4, error.Attempts);
        Assert.IsType<HttpRequestException>(error.InnerException);
    }

    [Fact]
    public async Task The_error_text_falls_back_to_the_influx_error_header()
    {
        var stub = new StubHandler().Answer(HttpStatusCode.BadRequest, null, r => r.Headers.Add("X-Influxdb-Error", "header says no"));
        using var client = Client(stub, Fast);

        var error = await Assert.ThrowsAsync<InfluxWriteException>(() => client.WriteAsync(Body));

        Assert.Equal("header says no", error.ServerMessage);
    }

    [Fact]
    public async Task An_attempt_that_times_out_is_retried()
    {
        var handler = new SlowThenFastHandler();
        using var http = new HttpClient(handler);
        using var client = new InfluxClient(http, Fast with { RequestTimeout = TimeSpan.FromMilliseconds(200) });

        await client.WriteAsync(Body);

        Assert.Equal(2, handler.Calls);
    }

    [Fact]
    public async Task Caller_cancellation_is_not_retried()
    {
        using var http = new HttpClient(new SlowThenFastHandler());
        using var client = new InfluxClient(http, Fast);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.WriteAsync(Body, cancel.Token));
    }

    [Fact]
    public async Task Basic_authentication_is_sent_as_a_header()
    {
        var stub = new StubHandler().Answer(HttpStatusCode.NoContent);
        using var client = Client(stub, Fast with { Username = "writer", Password = "s3cret:x" });

        await client.WriteAsync(Body);

        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("writer:s3cret:x")), stub.Requests[0].Authorization);
        Assert.DoesNotContain("u=", stub.Requests[0].Uri.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_string_authentication_adds_u_and_p()
    {
        var stub = new StubHandler().Answer(HttpStatusCode.NoContent);
        using var client = Client(stub, Fast with { Username = "writer", Password = "p&ss", Authentication = InfluxAuthentication.QueryString });

        await client.WriteAsync(Body);

        Assert.Null(stub.Requests[0].Authorization);
        Assert.EndsWith("&u=writer&p=p%26ss", stub.Requests[0].Uri.AbsoluteUri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_authentication_sends_the_token_header()
    {
        var stub = new StubHandler().Answer(HttpStatusCode.NoContent);
        using var client = Client(stub, Fast with { Password = "tok", Authentication = InfluxAuthentication.Token });

        await client.WriteAsync(Body);

        Assert.Equal("Token tok", stub.Requests[0].Authorization);
    }

    [Fact]
    public async Task Writing_points_encodes_them_all_in_one_request()
    {
        var stub = new StubHandler().Answer(HttpStatusCode.NoContent);
        using var client = Client(stub, Fast);

        await client.WriteAsync([new Point("a").Field("v", 1L).Timestamp(1L), new Point("b").Field("v", 2L).Timestamp(2L)]);

        Assert.Equal("a v=1i 1\nb v=2i 2\n", Assert.Single(stub.Requests).Body);
    }

    [Fact]
    public async Task An_invalid_point_fails_before_anything_is_sent()
    {
        var stub = new StubHandler();
        using var client = Client(stub, Fast);

        await Assert.ThrowsAsync<InfluxValueException>(() => client.WriteAsync([new Point("a").Field("v", double.NaN)]));

        Assert.Empty(stub.Requests);
    }

    [Fact]
    public async Task Query_results_are_read_into_typed_series()
    {
        var stub = new StubHandler().Answer(HttpStatusCode.OK, """
            {"results":[{"statement_id":0,"series":[{"name":"m","tags":{"site":"north"},"columns":["time","f","i","b","s"],
              "values":[[1700000000123,1.5,42,true,"x"],[1700000000124,null,-1,false,"y"]]}]},
              {"statement_id":1,"messages":[{"level":"warning","text":"deprecated"}]}]}
            """);
        using var client = Client(stub, Fast);

        var result = await client.QueryAsync("SELECT * FROM m GROUP BY site; SHOW DATABASES", null);

        var request = Assert.Single(stub.Requests);
        Assert.Equal("http://influx.test:8086/query?epoch=ms", request.Uri.AbsoluteUri);
        Assert.Equal("q=SELECT+%2A+FROM+m+GROUP+BY+site%3B+SHOW+DATABASES&db=plant", request.Body);
        var series = Assert.Single(result.Series);
        Assert.Equal("m", series.Name);
        Assert.Equal("north", series.Tags["site"]);
        Assert.Equal(2, series.RowCount);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1700000000123), series.GetTimestamp(0));
        Assert.Equal(1.5, series.GetDouble(0, "f"));
        Assert.Equal(42, series.GetInt64(0, "i"));
        Assert.True(series.GetBoolean(0, "b"));
        Assert.Equal("x", series.GetString(0, "s"));
        Assert.True(series.IsNull(1, "f"));
        Assert.Throws<InvalidOperationException>(() => (object)series.GetDouble(1, "f"));
        Assert.Throws<KeyNotFoundException>(() => (object)series.GetOrdinal("nope"));
        Assert.Equal(new InfluxDb.Querying.InfluxQueryMessage("warning", "deprecated"), Assert.Single(result.Statements[1].Messages));
    }

    [Fact]
    public async Task A_failed_statement_is_thrown_with_its_index()
    {
        var stub = new StubHandler().Answer(HttpStatusCode.OK,
            """{"results":[{"statement_id":0},{"statement_id":1,"error":"database not found: nope"}]}""");
        using var client = Client(stub, Fast);

        var error = await Assert.ThrowsAsync<InfluxQueryException>(() => client.QueryAsync("SHOW DATABASES; SHOW MEASUREMENTS ON nope", null));

        Assert.Equal(1, error.StatementId);
        Assert.Equal("database not found: nope", error.ServerMessage);
    }

    [Fact]
    public async Task A_refused_query_carries_the_server_message()
    {
        var stub = new StubHandler().Answer(HttpStatusCode.BadRequest, """{"error":"error parsing query: found EOF"}""");
        using var client = Client(stub, Fast);

        var error = await Assert.ThrowsAsync<InfluxQueryException>(() => client.QueryAsync("SELECT", ""));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal("error parsing query: found EOF", error.ServerMessage);
        Assert.Equal("q=SELECT", stub.Requests[0].Body);
    }

    [Fact]
    public async Task Ping_reports_the_server_version()
    {
        var stub = new StubHandler().Answer(HttpStatusCode.NoContent, null, r => r.Headers.Add("X-Influxdb-Version", "1.6.7"));
        using var client = Client(stub, Fast);

        var ping = await client.PingAsync();

        Assert.Equal("1.6.7", ping.Version);
        Assert.Equal("http://influx.test:8086/ping", stub.Requests[0].Uri.AbsoluteUri);
    }

    [Fact]
    public async Task A_failed_ping_is_a_transient_influx_exception()
    {
        var stub = new StubHandler().Fail(new HttpRequestException("connection refused"));
        using var client = Client(stub, Fast);

        var error = await Assert.ThrowsAsync<InfluxException>(() => client.PingAsync());

        Assert.True(error.IsTransient);
    }

    [Fact]
    public async Task Creating_a_database_quotes_its_name()
    {
        var stub = new StubHandler().Answer(HttpStatusCode.OK, """{"results":[{"statement_id":0}]}""");
        using var client = Client(stub, Fast);

        await client.CreateDatabaseAsync("my \"db\"");

        Assert.Equal("q=CREATE+DATABASE+%22my+%5C%22db%5C%22%22", stub.Requests[0].Body);
    }

    [Fact]
    public async Task A_base_address_with_a_path_prefix_keeps_it()
    {
        var stub = new StubHandler().Answer(HttpStatusCode.NoContent);
        using var client = Client(stub, Fast with { BaseAddress = new("https://proxy.test/influx") });

        await client.WriteAsync(Body);

        Assert.StartsWith("https://proxy.test/influx/write?", stub.Requests[0].Uri.AbsoluteUri, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", 5, "Database")]
    [InlineData("db", 0, "MaxAttempts")]
    public void Invalid_options_are_refused(string database, int maxAttempts, string name)
    {
        var error = Assert.Throws<ArgumentException>(() => new InfluxClient(new HttpClient(), Fast with { Database = database, MaxAttempts = maxAttempts }));

        Assert.Equal(name, error.ParamName);
    }

    private static InfluxClient Client(StubHandler stub, InfluxClientOptions options) => new(new HttpClient(stub), options);

    private sealed class SlowThenFastHandler : HttpMessageHandler
    {
        public int Calls { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (++Calls == 1)
            {
                await Task.Delay(TimeSpan.FromSeconds(30), cancellationToken);
            }

            return new HttpResponseMessage(HttpStatusCode.NoContent);
        }
    }
}
