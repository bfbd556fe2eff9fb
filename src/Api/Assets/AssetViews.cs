using Telemetry.Api.History;
using Telemetry.Api.WorkOrders;
using Telemetry.Maintenance.Tickets;
using Telemetry.Maintenance.WorkOrders;

namespace Telemetry.Api.Assets;

/// <summary>An asset in the register: what and where it is, when it went into service, and its warranty as of the site's today.</summary>
public sealed record AssetSummary(
    string Site,
    string Gateway,
    string Device,
    string? Name,
    string Family,
    string Model,
    string? Serial,
    string? Crew,
    string? Location,
    DateOnly? Commissioned,
    DateOnly? WarrantyUntil,
    string Warranty,
    int? WarrantyDaysLeft,
    DateOnly Today);

/// <summary><c>GET /api/assets</c>: the register's assets, by site then device.</summary>
public sealed record AssetList(IReadOnlyList<AssetSummary> Assets);

/// <summary>A ticket of the asset, newest first in the record.</summary>
public sealed record AssetTicket(string Number, string Asset, string? Circuit, string Fault, int Grade, string Status, string Summary, DateTimeOffset OpenedAt, DateTimeOffset? ResolvedAt, DateTimeOffset? ClosedAt, string? Cause, string? Action)
{
    public static AssetTicket From(Ticket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return new(ticket.Number.ToString(), ticket.Asset.Key, ticket.Asset.Circuit, ticket.Fault.ToName(), (int)ticket.Grade, ticket.Status.ToName(), ticket.Summary,
            ticket.OpenedAt, ticket.ResolvedAt, ticket.ClosedAt, ticket.Resolution?.Cause, ticket.Resolution?.Action);
    }
}

/// <summary>A work order of the asset, the latest due first in the record.</summary>
/// <remarks><see cref="GatewayTest"/> is the gateway's emergency test that completed it; null when a crew did.</remarks>
public sealed record AssetWorkOrder(
    string Number, string Task, string Status, DateOnly DueDate, DateTimeOffset? DoneAt, string? DoneBy, bool DoneOnTime, string? Note, GatewayTestView? GatewayTest = null)
{
    public static AssetWorkOrder From(WorkOrder order)
    {
        ArgumentNullException.ThrowIfNull(order);
        return new(order.Number.ToString(), order.Task.ToName(), order.Status.ToName(), order.DueDate, order.DoneAt, order.DoneBy, order.DoneOnTime, order.Note,
            GatewayTestView.From(order.GatewayTest));
    }
}

/// <summary>A battery test the unit ran, newest first in the record.</summary>
public sealed record AssetTest(DateTimeOffset FinishedAt, string Test, string Outcome, double? RuntimeSeconds, string? Message)
{
    public static AssetTest From(FinishedBatteryTest test)
    {
        ArgumentNullException.ThrowIfNull(test);
        return new(test.FinishedAt, test.Test, test.Outcome, test.RuntimeSeconds, test.Message);
    }
}

/// <summary>A part replaced on the asset: what, when, by whom, under which ticket or work order.</summary>
public sealed record AssetPart(string Part, DateTimeOffset ReplacedAt, string? By, string Source);

/// <summary>
/// <c>GET /api/assets/{site}/{device}</c>: the asset's register record. <see cref="Tests"/> is null when the readings
/// store is not configured or did not answer (<see cref="TestsUnavailable"/> says why); it is empty for a unit without tests
/// and for devices that run none.
/// </summary>
public sealed record AssetRecord(
    AssetSummary Asset,
    IReadOnlyList<AssetTicket> Tickets,
    IReadOnlyList<AssetWorkOrder> WorkOrders,
    IReadOnlyList<AssetTest>? Tests,
    string? TestsUnavailable,
    IReadOnlyList<AssetPart> Parts);
