namespace Telemetry.Api.History;

/// <summary>The answer of a history request: the series of the point (one per circuit when the device has several), and on the same time axis the asset's ticket steps and the events its gateway reported for it.</summary>
public sealed record HistoryView(
    string Site,
    string Gateway,
    string Device,
    string Family,
    string Point,
    string? Circuit,
    DateTimeOffset From,
    DateTimeOffset To,
    string Step,
    bool StepWidened,
    int MaxPoints,
    IReadOnlyList<HistorySeries> Series,
    IReadOnlyList<HistoryEvent> Events,
    IReadOnlyList<HistoryDeviceEvent> DeviceEvents);

/// <summary>The steps of one series; <c>circuit</c> is null for the device's own values.</summary>
public sealed record HistorySeries(string? Circuit, IReadOnlyList<HistoryPoint> Points);

/// <summary>One step: its start, and the mean, least and greatest of the readings in it, and how many there were. Steps without readings are left out.</summary>
public sealed record HistoryPoint(DateTimeOffset Time, double Mean, double Min, double Max, long Count);

/// <summary>A step of a ticket of the asset (opened, acknowledged, resolved...) within the range.</summary>
public sealed record HistoryEvent(DateTimeOffset Time, string Kind, string Ticket, string Fault, int Grade, string? Circuit, string Actor, string? Detail);

/// <summary>An event the device's gateway reported within the range (a test's result, a command's result, a device error), with its figures and attributes as text.</summary>
public sealed record HistoryDeviceEvent(DateTimeOffset Time, string Kind, string? Message, IReadOnlyDictionary<string, string> Details);
