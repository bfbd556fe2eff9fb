using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Telemetry.Contracts;
using Telemetry.Devices.Decoding;
using Telemetry.Simulator.Clock;
using Telemetry.Simulator.Faults;
using Telemetry.Simulator.Serving;

namespace Telemetry.Simulator.Api;

/// <summary>
/// The simulator's control interface, on its own HTTP port: list devices and their state, inject and clear
/// faults, write commands, set values, and move the clock. Errors are RFC 7807 problem details.
/// </summary>
public static class ControlApi
{
    public static IEndpointRouteBuilder MapControlApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/devices", (Simulation simulation) =>
            Results.Ok(simulation.Snapshots().Select(Summary).ToList()));

        endpoints.MapGet("/devices/{id}", (string id, Simulation simulation) =>
            simulation.Snapshot(id) is { } snapshot ? Results.Ok(View(snapshot)) : UnknownDevice(id));

        endpoints.MapPost("/devices/{id}/faults", (string id, FaultDocument? body, Simulation simulation) =>
        {
            if (body is null)
            {
                return Invalid("a fault is a JSON object such as {\"fault\": \"lamps_dark\", \"count\": 5}");
            }

            if (simulation.Snapshot(id) is null)
            {
                return UnknownDevice(id);
            }

            var (fault, problems) = simulation.Inject(id, body);
            return fault is null ? Invalid(string.Join("; ", problems)) : Results.Ok(fault.ToDocument());
        });

        endpoints.MapDelete("/devices/{id}/faults", (string id, Simulation simulation) =>
            simulation.Clear(id, null) is { } removed ? Results.Ok(removed.Select(f => f.ToDocument()).ToList()) : UnknownDevice(id));

        endpoints.MapDelete("/devices/{id}/faults/{fault}", (string id, string fault, int? circuit, Simulation simulation) =>
        {
            if (!FaultKinds.TryParse(fault, out var kind))
            {
                return Invalid($"'{fault}' is none of {string.Join(", ", FaultKinds.Names)}");
            }

            return simulation.Clear(id, kind, circuit) is { } removed ? Results.Ok(removed.Select(f => f.ToDocument()).ToList()) : UnknownDevice(id);
        });

        endpoints.MapPost("/devices/{id}/commands", (string id, CommandBody? body, Simulation simulation) =>
        {
            if (body?.Point is null || body.Value is null)
            {
                return Invalid("a command is {\"point\": name, \"circuit\": n (optional), \"value\": number, boolean or label}");
            }

            if (simulation.Snapshot(id) is null)
            {
                return UnknownDevice(id);
            }

            return simulation.Command(id, body.Point, body.Circuit, body.Value.Value) is { } problem
                ? Results.Problem(problem, statusCode: StatusCodes.Status409Conflict, title: "command refused")
                : Results.Ok(View(simulation.Snapshot(id)!));
        });

        endpoints.MapPut("/devices/{id}/values/{name}", (string id, string name, int? circuit, ValueBody? body, Simulation simulation) =>
        {
            if (body?.Value is null)
            {
                return Invalid("the body is {\"value\": number, boolean or text}");
            }

            if (simulation.Snapshot(id) is null)
            {
                return UnknownDevice(id);
            }

            return simulation.Set(id, name, circuit, body.Value.Value) is { } problem ? Invalid(problem) : Results.Ok(View(simulation.Snapshot(id)!));
        });

        endpoints.MapDelete("/devices/{id}/values/{name}", (string id, string name, int? circuit, Simulation simulation) =>
            simulation.Unset(id, name, circuit) is null ? UnknownDevice(id) : Results.Ok(View(simulation.Snapshot(id)!)));

        endpoints.MapGet("/clock", (SimulationClock clock) => Results.Ok(ClockOf(clock)));

        endpoints.MapPost("/clock/advance", (AdvanceBody? body, SimulationClock clock, Simulation simulation) =>
        {
            if (body?.Seconds is not { } seconds || !double.IsFinite(seconds) || seconds < 0 || seconds > 366 * 86_400)
            {
                return Invalid("the body is {\"seconds\": s}, 0 to a year");
            }

            clock.Advance(TimeSpan.FromSeconds(seconds));
            simulation.Update();
            return Results.Ok(ClockOf(clock));
        });

        endpoints.MapPut("/clock", (ClockChange? body, SimulationClock clock, Simulation simulation) =>
        {
            var mode = clock.Mode;
            if (body?.Mode is { } text && !Enum.TryParse(text, ignoreCase: true, out mode))
            {
                return Invalid($"mode '{text}' is neither scaled nor manual");
            }

            var speed = body?.Speed ?? clock.Speed;
            if (!(speed > 0) || speed > 100_000)
            {
                return Invalid("speed must be above 0 and at most 100000");
            }

            simulation.Update();
            clock.Change(mode, speed);
            return Results.Ok(ClockOf(clock));
        });

        endpoints.MapGet("/scenario", (Simulation simulation) =>
        {
            if (simulation.Scenario is not { } runner)
            {
                return Results.Problem("no scenario is loaded (Simulator:Scenario)", statusCode: StatusCodes.Status404NotFound);
            }

            var events = runner.Events.Select((e, i) => new ScenarioEventView(
                e.Offset.ToString("c", CultureInfo.InvariantCulture),
                e.Device,
                e.Describe(),
                i < runner.PlayedCount,
                i < runner.PlayedCount ? runner.Outcomes[i] ?? "done" : null)).ToList();
            return Results.Ok(new ScenarioView(runner.Scenario.Name, runner.Scenario.Description, events));
        });

        return endpoints;
    }

    private static DeviceSummary Summary(DeviceSnapshot snapshot) => new(
        snapshot.Id,
        snapshot.Family,
        snapshot.Model,
        snapshot.Gateway,
        snapshot.Link,
        snapshot.Unit,
        snapshot.Endpoint,
        [.. snapshot.Faults.Select(f => f.ToDocument())]);

    private static DeviceView View(DeviceSnapshot snapshot) => new(
        snapshot.Id,
        snapshot.Family,
        snapshot.Model,
        snapshot.Gateway,
        snapshot.Link,
        snapshot.Unit,
        snapshot.Endpoint,
        snapshot.Time,
        [.. snapshot.Faults.Select(f => f.ToDocument())],
        snapshot.Overrides,
        snapshot.Values,
        snapshot.Circuits);

    private static ClockView ClockOf(SimulationClock clock) => new(clock.GetUtcNow(), clock.Mode.ToString().ToLowerInvariant(), clock.Speed);

    private static IResult UnknownDevice(string id) =>
        Results.Problem($"no device '{id}'", statusCode: StatusCodes.Status404NotFound, title: "unknown device");

    private static IResult Invalid(string detail) =>
        Results.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "invalid request");
}

public sealed record DeviceSummary(string Id, DeviceFamily Family, string Model, string Gateway, string Link, int Unit, string Endpoint, IReadOnlyList<FaultDocument> Faults);

public sealed record DeviceView(
    string Id,
    DeviceFamily Family,
    string Model,
    string Gateway,
    string Link,
    int Unit,
    string Endpoint,
    DateTimeOffset Time,
    IReadOnlyList<FaultDocument> Faults,
    IReadOnlyDictionary<string, PointValue> Overrides,
    IReadOnlyDictionary<string, PointValue> Values,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, PointValue>> Circuits);

public sealed record CommandBody(string? Point, int? Circuit, PointValue? Value);

public sealed record ValueBody(PointValue? Value);

public sealed record ClockView(DateTimeOffset Now, string Mode, double Speed);

public sealed record AdvanceBody(double? Seconds);

public sealed record ClockChange(string? Mode, double? Speed);

public sealed record ScenarioView(string Name, string? Description, IReadOnlyList<ScenarioEventView> Events);

public sealed record ScenarioEventView(string At, string Device, string Event, bool Played, string? Outcome);
