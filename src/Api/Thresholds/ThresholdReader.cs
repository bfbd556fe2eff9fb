using Telemetry.Contracts;
using Telemetry.Maintenance.Thresholds;
using Telemetry.Rules.Evaluation;

namespace Telemetry.Api.Thresholds;

/// <summary>
/// The thresholds as <c>GET /api/thresholds</c> and the engineers' page show them: every parameter with the rules
/// that use it, its settings per scope, and, for a target (a site, a family, a device), the value in force there and
/// where it comes from. The target is checked by the caller.
/// </summary>
public static class ThresholdReader
{
    // Stands for every site or device that no setting names: no identifier can spell it.
    private const string Anywhere = "*";

    public static async Task<ThresholdsView> ReadAsync(IThresholdStore store, RuleSet rules, string? site, string? device, DeviceFamily? family, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(rules);
        var snapshot = await store.LoadAsync(cancellationToken);
        var target = site is null && family is null ? null : new ThresholdTarget(site, device, family?.ToContractName());
        EffectiveThreshold? Effective(ThresholdParameter parameter)
        {
            if (target is null)
            {
                return null;
            }

            var (value, source) = (device, site, family) switch
            {
                ({ } d, { } s, { } f) => (snapshot.For(f, s, d)[parameter], snapshot.Source(parameter, f, s, d)),
                (null, { } s, { } f) => (snapshot.For(f, s, Anywhere)[parameter], snapshot.Source(parameter, f, s, Anywhere)),
                (null, { } s, null) => (snapshot.ForSite(s)[parameter], snapshot.SiteSource(parameter, s)),
                _ => (snapshot.For(family!.Value, Anywhere, Anywhere)[parameter], snapshot.Source(parameter, family!.Value, Anywhere, Anywhere)),
            };
            return new EffectiveThreshold(value, source?.Scope.Level.ToString().ToLowerInvariant() ?? "default", source?.Scope.Key);
        }

        var parameters = store.Catalogue.All.Select(p => new ThresholdParameterView(
            p.Name, p.Unit, p.Minimum, p.Maximum, p.Default, p.WholeNumber, p.Description,
            [.. rules.UsesOf(p).Select(u => new ThresholdUseView(u.Rule, [.. u.Faults.Select(f => f.ToName())]))],
            [.. snapshot.Settings.Where(s => s.Parameter.Index == p.Index).OrderBy(s => s.Scope.Level).ThenBy(s => s.Scope.Key, StringComparer.Ordinal).Select(s => new ThresholdSettingView(s.Scope.Key, s.Value))],
            Effective(p)));
        return new ThresholdsView(snapshot.Version, target, [.. parameters]);
    }
}
