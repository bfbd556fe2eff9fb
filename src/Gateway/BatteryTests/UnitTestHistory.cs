namespace Telemetry.Gateway.BatteryTests;

/// <summary>What the gateway knows of one emergency unit's tests: when each kind last ran to a result, and why it waits.</summary>
public sealed record UnitTestHistory
{
    /// <summary>No test known.</summary>
    public static readonly UnitTestHistory None = new();

    /// <summary>When a function test last ended with a result (passed or failed).</summary>
    public DateTimeOffset? LastFunction { get; init; }

    /// <summary>When a one-hour test last ended with a result.</summary>
    public DateTimeOffset? LastOneHour { get; init; }

    /// <summary>When a full-duration test last ended with a result.</summary>
    public DateTimeOffset? LastFullDuration { get; init; }

    /// <summary>When the last test of any kind started (by schedule or command).</summary>
    public DateTimeOffset? LastStarted { get; init; }

    /// <summary>When the last one-hour or full-duration test started, and when it ended (null while unknown).</summary>
    public DateTimeOffset? DischargeStarted { get; init; }

    /// <summary>When the last one-hour or full-duration test ended, with any outcome.</summary>
    public DateTimeOffset? DischargeEnded { get; init; }

    /// <summary>Whether the last test to reach a result failed: the unit waits for a repair and a test by command.</summary>
    public bool LastFailed { get; init; }

    /// <summary>Why the unit's due test is put off, as last recorded; null when it is not.</summary>
    public string? Postponed { get; init; }

    /// <summary>When the last test of <paramref name="kind"/>, or of a longer kind standing for it, ended with a result.</summary>
    public DateTimeOffset? LastCovering(BatteryTestKind kind) => kind switch
    {
        BatteryTestKind.Duration => LastFullDuration,
        BatteryTestKind.OneHour => Latest(LastOneHour, LastFullDuration),
        _ => Latest(LastFunction, Latest(LastOneHour, LastFullDuration)),
    };

    /// <summary>Until when the unit counts as discharged: a discharge test's end (or, not seen ending, its start plus <paramref name="longestTest"/>) plus <paramref name="recharge"/>.</summary>
    public DateTimeOffset? DischargedUntil(TimeSpan recharge, TimeSpan longestTest)
    {
        if (DischargeStarted is not { } started)
        {
            return null;
        }

        return DischargeEnded is { } ended && ended >= started ? ended + recharge : started + longestTest + recharge;
    }

    private static DateTimeOffset? Latest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;
}
