using Microsoft.Extensions.Localization;
using Telemetry.Contracts;
using Telemetry.Maintenance.Thresholds;

namespace Telemetry.Api.Web.Engineering;

/// <summary>A scope and a value's source as the page writes them, in the page's language.</summary>
public static class ScopeText
{
    /// <summary><c>Whole plant</c>, <c>Family: high mast</c>, <c>Site: rig</c>, <c>Device: rig / mast-01</c>.</summary>
    public static string Of(ThresholdScope scope, IStringLocalizer<EngineeringText> e, IStringLocalizer<WebText> t)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(t);
        return scope.Level switch
        {
            ScopeLevel.Family => $"{e["Scope.family"]}: {t["Family." + scope.Family!.Value.ToContractName()]}",
            ScopeLevel.Site => $"{e["Scope.site"]}: {scope.Site}",
            ScopeLevel.Device => $"{e["Scope.device"]}: {scope.Site} / {scope.Device}",
            _ => e["Scope.global"],
        };
    }

    /// <summary>Where a value comes from: <c>default</c>, or the level and the scope it is set at.</summary>
    public static string Source(string source, string? scope, IStringLocalizer<EngineeringText> e, IStringLocalizer<WebText> t)
    {
        ArgumentNullException.ThrowIfNull(e);
        return scope is not null && ThresholdScope.TryParse(scope) is { } parsed ? Of(parsed, e, t) : e["Scope." + source];
    }

    /// <summary>A unit as the trade writes it: <c>min</c>, <c>V</c> stay; <c>readings</c> is 次 in Chinese.</summary>
    public static string Unit(string unit, IStringLocalizer<EngineeringText> e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (string.IsNullOrEmpty(unit))
        {
            return "";
        }

        var text = e["Unit." + unit];
        return text.ResourceNotFound ? unit : text.Value;
    }
}
