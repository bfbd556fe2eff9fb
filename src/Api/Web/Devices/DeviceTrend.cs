using System.Globalization;
using Telemetry.Api.History;
using Telemetry.Api.Plant;
using Telemetry.Devices.Profiles;

namespace Telemetry.Api.Web.Devices;

/// <summary>A trend as read: the history (series and ticket events), or why there is none.</summary>
public sealed record TrendReading(HistoryView? View, string? Problem);

/// <summary>
/// Reads a device's trend through the same checks and store as <c>GET /api/sites/{site}/devices/{device}/history</c>:
/// the request is parsed by <see cref="HistoryRequestParser"/> (point of the profile, ordered range, step), then read
/// by <see cref="ReadingHistory"/>. Which points have a trend is decided here, not by the chart.
/// </summary>
public sealed class DeviceTrend(ReadingHistory history, TimeProvider clock)
{
    // What a person most often opens a device's trend for, by family: lamps lit, phase voltage, battery voltage.
    private static readonly string[] Preferred = ["lamps_lit", "voltage_l1_v", "battery_voltage_v", "voltage_v", "insulation_mohm"];

    public DateTimeOffset Now => clock.GetUtcNow();

    /// <summary>
    /// The points of the device with a mean: measured numbers and counts (a bitfield's total), not states, texts,
    /// coded values (a mean of charge states means nothing) or settings written by commands.
    /// </summary>
    public static IReadOnlyList<string> Fields(PlantDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        var fields = new List<string>();
        foreach (var point in device.Device.Profile.Points.Where(p => p.Circuit is null or 1).OrderBy(p => p.Ordinal))
        {
            if (point.Type == DataType.Bitfield)
            {
                if (point.Bitfield?.Series?.TotalName is { } total)
                {
                    fields.Add(total);
                }
            }
            else if (point.Type.IsNumeric() && point.Labels.Count == 0 && !point.IsWritable)
            {
                fields.Add(point.Name);
            }
        }

        return [.. fields.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The point a device's trend opens on.</summary>
    public static string DefaultField(PlantDevice device)
    {
        var fields = Fields(device);
        return Preferred.FirstOrDefault(p => fields.Contains(p, StringComparer.Ordinal)) ?? fields.FirstOrDefault() ?? "";
    }

    public async Task<TrendReading> ReadAsync(PlantDevice device, string field, TrendWindow window, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(window);
        var parsed = HistoryRequestParser.Parse(
            device,
            new HistoryParameters(field, null, Rfc3339(window.From), Rfc3339(window.To), HistoryRequest.FormatStep(window.Step)),
            clock.GetUtcNow());
        if (parsed.Request is not { } request)
        {
            return new(null, string.Join("; ", parsed.Problems.Select(p => $"{p.Key}: {string.Join(", ", p.Value)}")));
        }

        var outcome = await history.ReadAsync(request, cancellationToken);
        return new(outcome.View, outcome.View is null ? outcome.Reason : null);
    }

    private static string Rfc3339(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
