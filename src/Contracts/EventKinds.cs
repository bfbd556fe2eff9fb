namespace Telemetry.Contracts;

/// <summary>The kinds of gateway event (<see cref="GatewayEvent.Kind"/>) that the gateway publishes and the services read.</summary>
public static class EventKinds
{
    public const string BatteryTestStarted = "battery_test_started";

    public const string BatteryTestFinished = "battery_test_finished";

    /// <summary>An automatic emergency test that fell due was put off; <c>reason</c> in its attributes says why.</summary>
    public const string BatteryTestPostponed = "battery_test_postponed";

    /// <summary>A command's outcome; <c>result</c> in its attributes says how it went.</summary>
    public const string CommandResult = "command_result";

}
