using Telemetry.Maintenance.Tickets;

namespace Telemetry.Maintenance.Reports;

/// <summary>What a repaired asset is: its device family and model (<c>gateway</c> and no model for a gateway's own faults).</summary>
public sealed record AssetModel(string Family, string Model);

/// <summary>What a half-yearly fault analysis is computed from.</summary>
/// <param name="Half">The half year.</param>
/// <param name="Zone">The service's time zone.</param>
/// <param name="Scope">What the analysis covers.</param>
/// <param name="Tickets">At least every ticket resolved in the half or the one before.</param>
/// <param name="Models">Family and model by device key (<c>site/gateway/device</c>); a device not in it counts as unknown.</param>
public sealed record FaultAnalysisInput(
    ReportHalfYear Half,
    TimeZoneInfo Zone,
    ReportScope Scope,
    IReadOnlyList<Ticket> Tickets,
    IReadOnlyDictionary<string, AssetModel> Models);

/// <summary>
/// The half-yearly fault analysis (domain section 6): the repairs of the half (tickets resolved in it) classified by their
/// resolution's cause and by asset as Pareto lists (most first, with each entry's share and the running share), by device
/// family and model, each against the half before.
/// </summary>
public sealed record FaultAnalysis(
    ReportHalfYear Half,
    ReportScope Scope,
    ReportPeriod Period,
    ReportPeriod PreviousPeriod,
    int Repairs,
    int PreviousRepairs,
    IReadOnlyList<ParetoEntry> Causes,
    IReadOnlyList<ParetoEntry> Assets,
    IReadOnlyList<ModelRepairs> Models);

/// <summary>One entry of a Pareto list: repairs in the half, their share and the running share down the list, and the half before's count.</summary>
public sealed record ParetoEntry(string Name, int Repairs, double Share, double CumulativeShare, int PreviousRepairs);

/// <summary>The repairs of one device family and model, with its most frequent cause.</summary>
public sealed record ModelRepairs(string Family, string Model, int Repairs, int PreviousRepairs, string? TopCause);

/// <summary>
/// Computes <see cref="FaultAnalysis"/>. Causes are grouped as the crews wrote them, ignoring case and surrounding and
/// repeated spaces; the first spelling seen (by resolution time) names the group. Ties keep the name order.
/// </summary>
public static class FaultAnalysisCalculator
{
    public static FaultAnalysis Compute(FaultAnalysisInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var period = input.Half.In(input.Zone);
        var previousPeriod = input.Half.Previous.In(input.Zone);
        var scoped = input.Tickets.Where(t => input.Scope.Includes(t.Asset.Site, t.Crew) && t.Resolution is not null)
            .DistinctBy(t => t.Number).OrderBy(t => t.ResolvedAt).ToList();
        var current = scoped.Where(t => period.Contains(t.ResolvedAt!.Value)).ToList();
        var previous = scoped.Where(t => previousPeriod.Contains(t.ResolvedAt!.Value)).ToList();

        var causeNames = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var ticket in scoped)
        {
            causeNames.TryAdd(CauseKey(ticket), ticket.Resolution!.Cause.Trim());
        }

        AssetModel ModelOf(Ticket t) => input.Models.GetValueOrDefault(DeviceKey(t)) ?? (t.Asset.Device is null ? new AssetModel("gateway", "") : new AssetModel("unknown", ""));

        return new FaultAnalysis(
            input.Half,
            input.Scope,
            period,
            previousPeriod,
            current.Count,
            previous.Count,
            Pareto(current, previous, t => causeNames[CauseKey(t)]),
            Pareto(current, previous, t => t.Asset.Key),
            [.. current.Concat(previous).Select(ModelOf).Distinct()
                .Select(m => new ModelRepairs(
                    m.Family,
                    m.Model,
                    current.Count(t => ModelOf(t) == m),
                    previous.Count(t => ModelOf(t) == m),
                    current.Where(t => ModelOf(t) == m).GroupBy(t => causeNames[CauseKey(t)]).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key).FirstOrDefault()))
                .OrderByDescending(m => m.Repairs).ThenBy(m => m.Family, StringComparer.Ordinal).ThenBy(m => m.Model, StringComparer.Ordinal)]);
    }

    private static List<ParetoEntry> Pareto(List<Ticket> current, List<Ticket> previous, Func<Ticket, string> name)
    {
        var counts = current.GroupBy(name).Select(g => (Name: g.Key, Count: g.Count()))
            .OrderByDescending(g => g.Count).ThenBy(g => g.Name, StringComparer.Ordinal).ToList();
        var before = previous.GroupBy(name).ToDictionary(g => g.Key, g => g.Count());
        var entries = new List<ParetoEntry>();
        var running = 0;
        foreach (var (entry, count) in counts)
        {
            running += count;
            entries.Add(new ParetoEntry(entry, count, (double)count / current.Count, (double)running / current.Count, before.GetValueOrDefault(entry)));
        }

        // What the half before had and this one has not: listed after, with nothing this half, so a cause that went away shows.
        entries.AddRange(before.Where(b => counts.All(c => c.Name != b.Key)).OrderByDescending(b => b.Value).ThenBy(b => b.Key, StringComparer.Ordinal)
            .Select(b => new ParetoEntry(b.Key, 0, 0, current.Count == 0 ? 0 : 1, b.Value)));
        return entries;
    }

    private static string CauseKey(Ticket ticket) =>
        string.Join(' ', ticket.Resolution!.Cause.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();

    private static string DeviceKey(Ticket ticket) =>
        ticket.Asset.Device is null ? ticket.Asset.Key : $"{ticket.Asset.Site}/{ticket.Asset.Gateway}/{ticket.Asset.Device}";
}
