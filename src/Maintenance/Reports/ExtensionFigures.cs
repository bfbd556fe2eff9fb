namespace Telemetry.Maintenance.Reports;

/// <summary>
/// Emergency units that passed the tests due in a month (function checks, test runs, full discharges). The report
/// shows them when an <see cref="IEmergencyTestFigureSource"/> is registered, and says they are not available otherwise.
/// </summary>
/// <param name="TestsDue">Tests due in the month on units in the scope (each unit owes at least its monthly function check).</param>
/// <param name="TestsPassed">Of those, tests run and passed.</param>
public sealed record EmergencyTestFigures(int TestsDue, int TestsPassed)
{
    /// <summary>Passed over due, 0 to 1; null when none was due.</summary>
    public double? PassRate => TestsDue > 0 ? (double)TestsPassed / TestsDue : null;
}

/// <summary>
/// Planned maintenance tasks (domain section 5) due in a month and done on time. The report shows them when an
/// <see cref="IPlannedWorkFigureSource"/> is registered, and says they are not available otherwise.
/// </summary>
/// <param name="TasksDue">Tasks due in the month in the scope.</param>
/// <param name="TasksDoneOnTime">Of those, tasks done by their due time.</param>
public sealed record PlannedWorkFigures(int TasksDue, int TasksDoneOnTime)
{
    /// <summary>Done on time over due, 0 to 1; null when none was due.</summary>
    public double? OnTimeRate => TasksDue > 0 ? (double)TasksDoneOnTime / TasksDue : null;
}

/// <summary>Where the monthly report takes the emergency units' test figures from.</summary>
public interface IEmergencyTestFigureSource
{
    Task<EmergencyTestFigures> ReadAsync(ReportScope scope, ReportPeriod period, CancellationToken cancellationToken);
}

/// <summary>Where the monthly report takes the planned maintenance figures from.</summary>
public interface IPlannedWorkFigureSource
{
    Task<PlannedWorkFigures> ReadAsync(ReportScope scope, ReportPeriod period, CancellationToken cancellationToken);
}
