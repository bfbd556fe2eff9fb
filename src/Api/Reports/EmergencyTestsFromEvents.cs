using Telemetry.Api.History;
using Telemetry.Api.Plant;
using Telemetry.Contracts;
using Telemetry.Maintenance.Reports;

namespace Telemetry.Api.Reports;

/// <summary>
/// The monthly report's emergency test figures from the gateways' <see cref="EventKinds.BatteryTestFinished"/> events:
/// every emergency unit of the site files in the scope owes a test each month (its monthly function check, domain
/// section 5), and it passed the month when it ran a test in it and the last one it ran passed (a unit that failed
/// and passed after its repair has passed; one that passed and then failed has not).
/// </summary>
public sealed class EmergencyTestsFromEvents(ApiPlant plant, BatteryTestLog tests) : IEmergencyTestFigureSource
{
    public async Task<EmergencyTestFigures> ReadAsync(ReportScope scope, ReportPeriod period, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var units = plant.Sites
            .SelectMany(s => s.Gateways.SelectMany(g => g.Devices.Select(d => new PlantDevice(s, g, d))))
            .Where(u => u.Device.Family == DeviceFamily.EmergencyBattery && scope.Includes(u.Site.Id, u.Device.Crew))
            .ToList();
        var passed = 0;
        foreach (var unit in units)
        {
            var run = await tests.ReadAsync(unit, period.From, period.To, cancellationToken);
            passed += run.Count > 0 && run[0].Passed ? 1 : 0;
        }

        return new EmergencyTestFigures(units.Count, passed);
    }
}
