using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Localization;
using Telemetry.Contracts;
using Telemetry.Devices.Profiles;

namespace Telemetry.Api.Web.Devices;

/// <summary>
/// A device's values as the trade reads them: the point's name in the page's language (<c>绝缘电阻</c>, <c>A相电压</c>),
/// its unit from the name's suffix (<c>insulation_mohm</c> is in MΩ), a state as yes or no, a coded value by its label.
/// </summary>
public sealed partial class PointWords(IStringLocalizer<DevicesText> text)
{
    /// <summary>The point's name; a numbered member of a series (<c>breaker_3_closed</c>) by its series' words; the value name itself when no words are known.</summary>
    public string Name(string point)
    {
        ArgumentNullException.ThrowIfNull(point);
        var known = text["Point." + point];
        if (!known.ResourceNotFound)
        {
            return known.Value;
        }

        if (Numbered().Match(point) is { Success: true } member)
        {
            var series = text[$"Point.{member.Groups[1].Value}_n_{member.Groups[3].Value}", member.Groups[2].Value];
            if (!series.ResourceNotFound)
            {
                return series.Value;
            }
        }

        return point;
    }

    /// <summary>The unit the value name's suffix stands for, or empty for counts, states and codes.</summary>
    public static string Unit(string point) => PointUnits.UnitImpliedBy(point) ?? "";

    /// <summary>A value as shown: a state as yes or no, a code by its label, a number with at most three decimals.</summary>
    public string Value(string point, ReadingValue value, DeviceProfile? profile)
    {
        ArgumentNullException.ThrowIfNull(point);
        if (value.Kind == ReadingValueKind.Boolean)
        {
            return value.AsBoolean() ? text["Value.Yes"] : text["Value.No"];
        }

        if (value.Kind == ReadingValueKind.Integer && profile?.Points.FirstOrDefault(p => p.Name == point) is { Labels.Count: > 0 } coded
            && coded.Labels.TryGetValue(value.AsInteger(), out var label))
        {
            var words = text[$"Label.{point}.{label}"];
            return words.ResourceNotFound ? label : words.Value;
        }

        return Number(value.AsDouble());
    }

    /// <summary>A number with at most three decimals, in the invariant form the trade writes figures in.</summary>
    public static string Number(double value) =>
        Math.Abs(value) >= 1000 ? value.ToString("0.#", CultureInfo.InvariantCulture) : value.ToString("0.###", CultureInfo.InvariantCulture);

    [GeneratedRegex("^([a-z]+)_([0-9]+)_([a-z]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex Numbered();
}
