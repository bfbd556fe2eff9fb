using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Telemetry.Mqtt.Tests.Support;

/// <summary>Routes the client's log to the test output, so a failing test shows what the client saw.</summary>
public sealed class XunitLogger<T> : ILogger<T>
{
    private readonly ITestOutputHelper _output;
    private readonly string _name;

    public XunitLogger(ITestOutputHelper output, string name)
    {
        _output = output;
        _name = name;
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        try
        {
            _output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} [{logLevel}] {_name}: {formatter(state, exception)}{(exception is null ? "" : " | " + exception.GetType().Name + ": " + exception.Message)}");
        }
        catch (InvalidOperationException)
        {
            // The test has finished; its output is closed.
        }
    }
}
