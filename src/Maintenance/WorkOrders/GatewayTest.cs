using System.Globalization;

namespace Telemetry.Maintenance.WorkOrders;

/// <summary>
/// An emergency test the gateway ran on a unit and reported finished, as it completed a work order: which gateway,
/// which test (<c>function</c>, <c>one_hour</c>, <c>duration</c>), its outcome (<c>passed</c> or <c>failed</c>), what
/// started it (<c>schedule</c> or <c>command</c>), when it finished and what it measured.
/// </summary>
/// <param name="Gateway">The gateway that ran it.</param>
/// <param name="Test">The <c>test</c> attribute of its event.</param>
/// <param name="Outcome"><c>passed</c> or <c>failed</c>.</param>
/// <param name="Trigger"><c>schedule</c> or <c>command</c>.</param>
/// <param name="FinishedAt">The time of its <c>battery_test_finished</c> event; with the test, what makes it this test.</param>
/// <param name="RuntimeSeconds">How long the unit ran on battery, when the test measured it.</param>
/// <param name="RatedSeconds">The duration it had to reach: 3600 for the one-hour test, the unit's rated duration else.</param>
/// <param name="EndVolts">The battery voltage at the last sample of the discharge curve.</param>
/// <param name="Message">Why it ended, in the gateway's words.</param>
public sealed record GatewayTest(
    string Gateway,
    string Test,
    string Outcome,
    string Trigger,
    DateTimeOffset FinishedAt,
    double? RuntimeSeconds = null,
    double? RatedSeconds = null,
    double? EndVolts = null,
    string? Message = null)
{
    /// <summary>Whether the unit passed the test.</summary>
    public bool Passed => Outcome == BatteryTestOrders.Passed;

    /// <summary>Whether <paramref name="other"/> is the report of the same test (the same event delivered again).</summary>
    public bool IsSameTestAs(GatewayTest other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Test == other.Test && FinishedAt == other.FinishedAt;
    }

    /// <summary>One line for the work order's note: what the test was, how it went and what it measured.</summary>
    public string Describe()
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{Test} test {Outcome}, run by gateway {Gateway} ({Trigger})");
        if (RuntimeSeconds is { } runtime)
        {
            text += string.Create(CultureInfo.InvariantCulture, $", {runtime / 60:0.0} min on battery");
        }

        if (RatedSeconds is { } rated)
        {
            text += string.Create(CultureInfo.InvariantCulture, $" of {rated / 60:0.#} min");
        }

        if (EndVolts is { } volts)
        {
            text += string.Create(CultureInfo.InvariantCulture, $", {volts:0.00} V at the end");
        }

        return string.IsNullOrWhiteSpace(Message) ? text : $"{text}: {Message}";
    }
}
