using Microsoft.Extensions.Logging;
using Telemetry.Testing;

namespace Telemetry.InfluxDb.Tests.Integration;

/// <summary>A real influxd for one test class; each test works in a database of its own.</summary>
public sealed class InfluxServerFixture : IAsyncLifetime
{
    public InfluxServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await InfluxServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();

    public InfluxClientOptions Options(string database) => new()
    {
        BaseAddress = Server.Url,
        Database = database,
        RequestTimeout = TimeSpan.FromSeconds(20),
        MaxAttempts = 3,
        InitialBackoff = TimeSpan.FromMilliseconds(50),
        MaxBackoff = TimeSpan.FromMilliseconds(200),
    };

    public InfluxClient Client(InfluxClientOptions options, ILogger<InfluxClient>? logger = null) => new(options, logger);

    /// <summary>A client of a fresh, created database.</summary>
    public async Task<InfluxClient> ClientOfNewDatabaseAsync(Func<InfluxClientOptions, InfluxClientOptions>? configure = null, ILogger<InfluxClient>? logger = null)
    {
        var options = Options($"test_{Guid.NewGuid():N}");
        var client = Client(configure?.Invoke(options) ?? options, logger);
        await client.CreateDatabaseAsync(client.Options.Database);
        return client;
    }
}

/// <summary>Keeps what the client logs, to see its retries.</summary>
public sealed class RecordingLogger : ILogger<InfluxClient>
{
    private readonly List<string> _messages = [];

    public IReadOnlyList<string> Messages
    {
        get
        {
            lock (_messages)
            {
                return [.. _messages];
            }
        }
    }

    public int WarningCount { get; private set; }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_messages)
        {
            _messages.Add($"{logLevel}: {formatter(state, exception)}");
            if (logLevel == LogLevel.Warning)
            {
                WarningCount++;
            }
        }
    }
}
