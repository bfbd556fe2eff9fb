using System.Globalization;
using System.Text.Json;
using Telemetry.Contracts;
using Telemetry.InfluxDb;
using Telemetry.InfluxDb.Querying;
using Telemetry.Maintenance.Tickets;

namespace Telemetry.Api.History;

/// <summary>Why a history cannot be read although the request is good.</summary>
public enum HistoryRefusal
{
    /// <summary>No readings store is configured (<c>Influx:Url</c>).</summary>
    NoStore,

    /// <summary>The store did not answer, or answered with an error.</summary>
    StoreFailed,

    /// <summary>The point is stored as a boolean or text, which has no mean.</summary>
    NotNumeric,
}

/// <summary>What a history read gave: the view, or why there is none.</summary>
public sealed record HistoryOutcome(HistoryView? View, HistoryRefusal? Refusal, string? Reason);

/// <summary>
/// Reads a point's history from InfluxDB as Ingest stored it (measurement = family, tags site, gateway, device,
/// circuit; fields = values) with <c>GROUP BY time(step)</c> mean, min and max, and the ticket steps of the same
/// asset from the ticket store. Every name and value in the query is checked before (identifiers, the profile's
/// point names) and quoted by <see cref="InfluxQl"/>; numbers are written by the invariant culture.
/// </summary>
public sealed class ReadingHistory(InfluxClient? influx, string database, ITicketRepository tickets)
{
    public async Task<HistoryOutcome> ReadAsync(HistoryRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (influx is null)
        {
            return new(null, HistoryRefusal.NoStore, "no readings store is configured (Influx:Url)");
        }

        var device = request.Device;
        var measurement = device.Device.Family.ToContractName();
        List<HistorySeries> series;
        List<HistoryDeviceEvent> deviceEvents;
        try
        {
            var fieldType = await FieldTypeAsync(measurement, request.Point, cancellationToken);
            if (fieldType is "boolean" or "string")
            {
                return new(null, HistoryRefusal.NotNumeric, $"point {request.Point} is stored as a {fieldType}: it has no mean, least or greatest");
            }

            series = fieldType is null ? [] : await SeriesAsync(request, measurement, cancellationToken);
            deviceEvents = await DeviceEventsAsync(request, cancellationToken);
        }
        catch (InfluxException ex)
        {
            return new(null, HistoryRefusal.StoreFailed, ex.Message);
        }

        var events = await EventsAsync(request, cancellationToken);
        return new(
            new HistoryView(device.Site.Id, device.Gateway.Id, device.Device.Id, measurement, request.Point, request.Circuit, request.From, request.To,
                request.StepText, request.Widened, HistoryRequest.MaxPoints, series, events, deviceEvents),
            null,
            null);
    }

    /// <summary>The InfluxQL of a request; public so that tests can see what user input becomes.</summary>
    public static string Query(HistoryRequest request, string measurement)
    {
        ArgumentNullException.ThrowIfNull(request);
        var device = request.Device;
        var field = InfluxQl.QuoteIdentifier(request.Point);
        var where = $"\"site\" = {InfluxQl.QuoteString(device.Site.Id)} AND \"gateway\" = {InfluxQl.QuoteString(device.Gateway.Id)} AND \"device\" = {InfluxQl.QuoteString(device.Device.Id)}";
        if (request.Circuit is { } circuit)
        {
            where += $" AND \"circuit\" = {InfluxQl.QuoteString(circuit)}";
        }

        return string.Create(
            CultureInfo.InvariantCulture,
            $"SELECT mean({field}) AS \"mean\", min({field}) AS \"min\", max({field}) AS \"max\", count({field}) AS \"count\" FROM {InfluxQl.QuoteIdentifier(measurement)} " +
            $"WHERE {where} AND time >= {request.From.ToUnixTimeMilliseconds()}ms AND time < {request.To.ToUnixTimeMilliseconds()}ms " +
            $"GROUP BY time({request.StepText}), \"circuit\" fill(none)");
    }

    private async Task<string?> FieldTypeAsync(string measurement, string point, CancellationToken cancellationToken)
    {
        var result = await influx!.QueryAsync($"SHOW FIELD KEYS FROM {InfluxQl.QuoteIdentifier(measurement)}", database, cancellationToken);
        foreach (var keys in result.Series)
        {
            for (var row = 0; row < keys.RowCount; row++)
            {
                if (keys.GetString(row, "fieldKey") == point)
                {
                    return keys.GetString(row, "fieldType");
                }
            }
        }

        // Nothing stored under that name yet: an empty history, not an error.
        return null;
    }

    private async Task<List<HistorySeries>> SeriesAsync(HistoryRequest request, string measurement, CancellationToken cancellationToken)
    {
        var result = await influx!.QueryAsync(Query(request, measurement), database, cancellationToken);
        var series = new List<HistorySeries>();
        foreach (var found in result.Series.OrderBy(s => s.Tags.GetValueOrDefault("circuit") is { Length: > 0 } c && int.TryParse(c, CultureInfo.InvariantCulture, out var n) ? n : 0))
        {
            var points = new List<HistoryPoint>(found.RowCount);
            for (var row = 0; row < found.RowCount && points.Count < HistoryRequest.MaxPoints; row++)
            {
                if (found.IsNull(row, "mean"))
                {
                    continue;
                }

                var mean = found.GetDouble(row, "mean");
                points.Add(new HistoryPoint(
                    DateTimeOffset.FromUnixTimeMilliseconds(found.GetInt64(row, "time")),
                    mean,
                    Number(found.GetValue(row, "min"), mean),
                    Number(found.GetValue(row, "max"), mean),
                    found.GetInt64(row, "count")));
            }

            series.Add(new HistorySeries(found.Tags.GetValueOrDefault("circuit") is { Length: > 0 } circuit ? circuit : null, points));
        }

        return series;
    }

    /// <summary>The InfluxQL of the device's own events (test results, command results, device errors) in a request's range.</summary>
    public static string EventsQuery(HistoryRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var device = request.Device;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"SELECT * FROM \"events\" WHERE \"site\" = {InfluxQl.QuoteString(device.Site.Id)} AND \"gateway\" = {InfluxQl.QuoteString(device.Gateway.Id)} " +
            $"AND \"device\" = {InfluxQl.QuoteString(device.Device.Id)} AND \"kind\" !~ /^ticket_/ " +
            $"AND time >= {request.From.ToUnixTimeMilliseconds()}ms AND time < {request.To.ToUnixTimeMilliseconds()}ms LIMIT {HistoryRequest.MaxPoints}");
    }

    // The gateway's events of the device as Ingest stored them (tags site, gateway, device, kind; fields message and the
    // event's figures and attributes). Ticket steps come from the ticket store instead, which has them all.
    private async Task<List<HistoryDeviceEvent>> DeviceEventsAsync(HistoryRequest request, CancellationToken cancellationToken)
    {
        var result = await influx!.QueryAsync(EventsQuery(request), database, cancellationToken);
        var events = new List<HistoryDeviceEvent>();
        foreach (var found in result.Series)
        {
            for (var row = 0; row < found.RowCount; row++)
            {
                string? kind = null;
                string? message = null;
                var details = new SortedDictionary<string, string>(StringComparer.Ordinal);
                for (var column = 0; column < found.Columns.Count; column++)
                {
                    var name = found.Columns[column];
                    var cell = found.GetValue(row, column);
                    if (name is "time" or "site" or "gateway" or "device" || cell.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
                    {
                        continue;
                    }

                    var text = cell.ValueKind == JsonValueKind.String ? cell.GetString()! : cell.GetRawText();
                    switch (name)
                    {
                        case "kind":
                            kind = text;
                            break;
                        case "message":
                            message = text.Length > 0 ? text : null;
                            break;
                        default:
                            details[name] = text;
                            break;
                    }
                }

                if (kind is not null)
                {
                    events.Add(new HistoryDeviceEvent(DateTimeOffset.FromUnixTimeMilliseconds(found.GetInt64(row, "time")), kind, message, details));
                }
            }
        }

        return [.. events.OrderBy(e => e.Time)];
    }

    // The ticket steps of the device (and of each of its circuits) that fall within the range, oldest first.
    private async Task<List<HistoryEvent>> EventsAsync(HistoryRequest request, CancellationToken cancellationToken)
    {
        var device = request.Device;
        var prefix = $"{device.Site.Id}/{device.Gateway.Id}/{device.Device.Id}";
        var keys = new List<(string Key, string? Circuit)>();
        if (request.Circuit is null)
        {
            keys.Add((prefix, null));
            keys.AddRange(Enumerable.Range(1, device.Device.Profile.CircuitCount).Select(c => ($"{prefix}/{c.ToString(CultureInfo.InvariantCulture)}", (string?)c.ToString(CultureInfo.InvariantCulture))));
        }
        else
        {
            keys.Add(($"{prefix}/{request.Circuit}", request.Circuit));
        }

        var events = new List<HistoryEvent>();
        foreach (var (key, circuit) in keys)
        {
            var found = await tickets.ListAsync(new TicketQuery { AssetKey = key, OpenedTo = request.To, Limit = TicketQuery.MaxLimit }, cancellationToken);
            events.AddRange(found.SelectMany(t => t.History
                .Where(s => s.At >= request.From && s.At < request.To)
                .Select(s => new HistoryEvent(s.At, JsonNamingPolicy.SnakeCaseLower.ConvertName(s.What.ToString()), t.Number.ToString(), t.Fault.ToName(), (int)t.Grade, circuit, s.Actor, s.Detail))));
        }

        return [.. events.OrderBy(e => e.Time)];
    }

    // An integer field's min and max come back as integers, a float field's as floats; never anything else for a
    // numeric field, but a NaN would fail the whole answer as JSON, so the mean stands in.
    private static double Number(JsonElement cell, double fallback) => cell.ValueKind == JsonValueKind.Number ? cell.GetDouble() : fallback;
}
