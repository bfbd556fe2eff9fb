using System.Globalization;
using Telemetry.Contracts;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Thresholds;

namespace Telemetry.Maintenance.WorkOrders;

/// <summary>
/// Judges the readings a crew entered on a work order by the thresholds the telemetry rules use (the rules'
/// <c>earth.trip_ohm</c> and <c>insulation.trip_mohm</c>, as set for the asset), and gives the detections that open the
/// same fault tickets, with the same fault type and grade. A measurement by hand is one deliberate test, so it trips
/// on the one value, without the rules' debounce over successive readings.
/// </summary>
public sealed class EnteredReadingJudge(ThresholdCatalogue catalogue)
{
    private static readonly Limit[] Limits =
    [
        new(PointNames.EarthResistanceOhm, "earth.trip_ohm", TripDirection.Above, FaultType.HighEarthResistance, "earth resistance", "Ω"),
        new(PointNames.InsulationMohm, "insulation.trip_mohm", TripDirection.Below, FaultType.LowInsulation, "insulation resistance", "MΩ"),
    ];

    /// <summary>The detections the done work order's readings give; none when every reading is within its limit.</summary>
    public IReadOnlyList<FaultDetected> Judge(WorkOrder order, ThresholdSnapshot thresholds)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(thresholds);
        if (order.Status != WorkOrderStatus.Done || order.DoneAt is not { } at)
        {
            return [];
        }

        var resolved = thresholds.For(order.Family, order.Site, order.Asset.Device ?? "");
        var detections = new List<FaultDetected>();
        foreach (var limit in Limits)
        {
            if (!order.Readings.TryGetValue(limit.Point, out var value) || catalogue.Find(limit.Parameter) is not { } parameter)
            {
                continue;
            }

            var trip = resolved[parameter];
            var below = limit.Direction == TripDirection.Below;
            if (below ? value < trip : value > trip)
            {
                detections.Add(new FaultDetected(order.Asset, limit.Fault, limit.Fault.DefaultGrade(), at,
                    string.Create(CultureInfo.InvariantCulture,
                        $"{limit.Quantity} {value:0.###} {limit.Unit}, {(below ? "below" : "above")} the limit of {trip:0.###} {limit.Unit} (measured on work order {order.Number})"),
                    new Dictionary<string, double>(StringComparer.Ordinal) { [limit.Point] = value, [parameter.Name] = trip },
                    order.Crew, order.Zone));
            }
        }

        return detections;
    }

    private sealed record Limit(string Point, string Parameter, TripDirection Direction, FaultType Fault, string Quantity, string Unit);
}
