using Telemetry.Api.Plant;
using Telemetry.Contracts;
using Telemetry.Maintenance.Reports;

namespace Telemetry.Api.Reports;

/// <summary>
/// Reads what a half-yearly fault analysis needs (the tickets alive over the half and the one before, the site files'
/// family and model of each device) and has <see cref="FaultAnalysisCalculator"/> compute it.
/// </summary>
public sealed class FaultAnalyses(ReportTickets tickets, ApiPlant plant, TimeZoneInfo zone)
{
    public TimeZoneInfo Zone => zone;

    public async Task<FaultAnalysis> ComputeAsync(ReportHalfYear half, ReportScope scope, CancellationToken cancellationToken)
    {
        var period = half.In(zone);
        var alive = await tickets.AliveAsync(scope, new ReportPeriod(half.Previous.In(zone).From, period.To), cancellationToken);
        var models = (
            from site in plant.Sites
            from gateway in site.Gateways
            from device in gateway.Devices
            select (Key: $"{site.Id}/{gateway.Id}/{device.Id}", Model: new AssetModel(device.Family.ToContractName(), device.Model)))
            .ToDictionary(d => d.Key, d => d.Model, StringComparer.Ordinal);
        return FaultAnalysisCalculator.Compute(new FaultAnalysisInput(half, zone, scope, alive, models));
    }
}

/// <summary>A half-yearly fault analysis as the Api serves it; shares are fractions from 0 to 1.</summary>
public sealed record FaultAnalysisView(
    string Half,
    string Scope,
    DateTimeOffset From,
    DateTimeOffset To,
    DateTimeOffset PreviousFrom,
    int Repairs,
    int PreviousRepairs,
    IReadOnlyList<ParetoEntry> Causes,
    IReadOnlyList<ParetoEntry> Assets,
    IReadOnlyList<ModelRepairs> Models)
{
    public static FaultAnalysisView Of(FaultAnalysis analysis)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        return new(analysis.Half.ToString(), analysis.Scope.ToString(), analysis.Period.From, analysis.Period.To, analysis.PreviousPeriod.From,
            analysis.Repairs, analysis.PreviousRepairs, analysis.Causes, analysis.Assets, analysis.Models);
    }
}
