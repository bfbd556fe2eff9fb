using Telemetry.Maintenance.Reports;

namespace Telemetry.Api.Reports;

/// <summary>
/// Reads what a monthly report needs (the tickets alive in the month from the ticket store, the lamp series from the
/// readings store, and the figures of the emergency tests and planned work where a source of them is registered) and
/// has <see cref="MonthlyReportCalculator"/> compute it.
/// </summary>
public sealed class MonthlyReports(
    ReportTickets tickets,
    LampReadings lamps,
    MonthlyReportCalculator calculator,
    LightingRateCalculator lighting,
    TimeZoneInfo zone,
    TimeProvider clock,
    IEmergencyTestFigureSource? emergencyTests = null,
    IPlannedWorkFigureSource? plannedWork = null)
{
    /// <summary>The service's time zone, whose calendar months the reports are.</summary>
    public TimeZoneInfo Zone => zone;

    /// <summary>Whether lamp readings can be read: without a readings store the lighting rate has nothing to go on.</summary>
    public bool ReadingsAvailable => lamps.Available;

    public async Task<MonthlyReport> ComputeAsync(ReportMonth month, ReportScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var period = month.In(zone);
        var alive = await tickets.AliveAsync(scope, period, cancellationToken);
        var series = await lamps.ReadAsync(scope, period, lighting.HoldLimit, cancellationToken);
        return calculator.Compute(new MonthlyReportInput(month, zone, scope, clock.GetUtcNow(), alive, series)
        {
            EmergencyTests = emergencyTests is null ? null : await emergencyTests.ReadAsync(scope, period, cancellationToken),
            PlannedWork = plannedWork is null ? null : await plannedWork.ReadAsync(scope, period, cancellationToken),
        });
    }
}
