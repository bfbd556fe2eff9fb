using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Telemetry.Api.Access;
using Telemetry.Api.Plant;
using Telemetry.Contracts;

namespace Telemetry.Api.Commands;

/// <summary>The body of a device command as the OpenAPI document shows it; it is read and checked field by field (<see cref="CommandRequestParser"/>).</summary>
/// <param name="Action">One of <see cref="CommandActions.All"/>.</param>
/// <param name="Circuit">The circuit, for a switch or a point per circuit on a device with several.</param>
/// <param name="On">For a switch: on or off.</param>
/// <param name="Point">For a write: a writable point of the device's profile.</param>
/// <param name="Value">For a write: a number, true or false, or a label of the point.</param>
/// <param name="Time">For set_clock: RFC 3339 with an offset; the gateway's clock when absent.</param>
/// <param name="Direction">For lift: up, down or stop (up and down only with the mast's maintenance key on).</param>
/// <remarks>
/// The Api sends the command in its envelope: <c>id</c> (the audit row's id), <c>issuer</c> (the signed-in user),
/// <c>issued</c> (now) and <c>expires</c> (<c>Commands:Lifetime</c>, 60 s by default, later); a gateway refuses it after
/// <c>expires</c>, and refuses an id it has taken before.
/// </remarks>
public sealed record CommandBody(string Action, int? Circuit, bool? On, string? Point, JsonElement? Value, DateTimeOffset? Time, string? Direction);

/// <summary>The body of a site switch as the OpenAPI document shows it.</summary>
/// <param name="On">On or off.</param>
/// <param name="Confirmation">Absent on the first call; on the second, the token the first answered with.</param>
public sealed record SiteSwitchBody(bool On, string? Confirmation);

/// <summary>A site switch's first call: what would be switched, and the token that carries it out.</summary>
public sealed record SiteSwitchProposal(string Site, bool On, string Confirmation, DateTimeOffset ExpiresAt, IReadOnlyList<SwitchTarget> Targets);

/// <summary>One circuit (or device without circuits) a site switch reaches.</summary>
public sealed record SwitchTarget(string Gateway, string Device, int? Circuit);

/// <summary>A site switch carried out: each command as audited.</summary>
public sealed record SiteSwitchResult(string Site, bool On, IReadOnlyList<AuditedCommand> Commands);

/// <summary>
/// Device commands: <c>POST /api/sites/{site}/devices/{device}/commands</c>, a whole site switched with a confirmation
/// (<c>POST /api/sites/{site}/commands/switch</c>), and the audit (<c>GET /api/commands</c>).
/// </summary>
public static class CommandEndpoints
{
    /// <summary>The largest command body read; a command is a handful of fields.</summary>
    public const int MaxBodyBytes = 16 * 1024;

    public static IEndpointRouteBuilder MapCommands(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/sites/{site}/devices/{device}/commands", SendAsync)
            .WithTags("Commands")
            .WithName("SendDeviceCommand")
            .Accepts<CommandBody>("application/json")
            .WithSummary("Sends a command to a device through its gateway and answers with the gateway's result (504 when it does not answer in time). Operators switch and resume schedules; engineers start tests, set clocks, move a mast's lift and write points.")
            .WithDescription("The command goes out with its envelope: id, issuer (the signed-in user), issued (now) and expires (Commands:Lifetime later). The gateway refuses it, answering rejected with the reason, when it arrives after expires (e.g. queued while the gateway was offline), when its id was taken before, or when it writes a point that a dedicated action owns (a battery unit's test_command, a mast's lift coils).")
            .RequireAuthorization(Policies.SendCommands);
        endpoints.MapPost("/api/sites/{site}/commands/switch", SwitchSiteAsync)
            .WithTags("Commands")
            .WithName("SwitchSite")
            .Accepts<SiteSwitchBody>("application/json")
            .WithSummary("Switches every switchable circuit of a site: the first call answers with what would be switched and a confirmation token, the second call with that token carries it out.")
            .RequireAuthorization(Policies.SwitchSites);
        endpoints.MapGet("/api/commands", ListAsync)
            .WithTags("Commands")
            .WithName("ListCommands")
            .WithSummary("The audit of device commands, newest first.")
            .WithDescription("Each row is a command as sent: its id (the envelope's id), user (the envelope's issuer), requested_at (its issued time), and result: pending, then the gateway's done, rejected or device_error with its reason, or timeout, or not_sent. A row still pending or timeout is completed when the gateway's command_result event comes later, e.g. a command queued while the gateway was offline and then refused as expired.")
            .RequireAuthorization(Policies.ReadCommands);
        return endpoints;
    }

    public static async Task<Results<Ok<AuditedCommand>, ProblemHttpResult>> SendAsync(
        string site,
        string device,
        HttpRequest request,
        ClaimsPrincipal user,
        ApiPlant plant,
        CommandSender sender,
        CommandAudit audit,
        CommandSettings settings,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (plant.Find(site, device) is not { } found)
        {
            return NotFound(plant, site);
        }

        var (body, bodyProblem) = await ReadBodyAsync(request, cancellationToken);
        if (body is not { } json)
        {
            return Invalid(new Dictionary<string, string[]> { ["body"] = [bodyProblem!] }, "The command is invalid");
        }

        var parsed = CommandRequestParser.Parse(found, json);
        if (parsed.Command is not { } command)
        {
            return Invalid(parsed.Problems, "The command is invalid");
        }

        var roles = CommandPermissions.RolesFor(command.Action);
        if (!roles.Any(r => user.IsInRole(UserStore.Names.Of(r))))
        {
            return TypedResults.Problem(
                title: "Not your command",
                detail: $"{command.Action} is for {string.Join(" and ", roles.Select(r => UserStore.Names.Of(r) + "s"))}",
                statusCode: StatusCodes.Status403Forbidden);
        }

        var audited = await CarryOutAsync(found, command, user, sender, audit, settings, clock, cancellationToken);
        return audited.Result switch
        {
            "timeout" => TypedResults.Problem(new ProblemDetails
            {
                Title = "The gateway did not answer",
                Detail = audited.Reason,
                Status = StatusCodes.Status504GatewayTimeout,
                Extensions = { ["id"] = audited.Id, ["gateway"] = found.Gateway.Id, ["gateway_state"] = sender.StateOf(found) ?? "unknown" },
            }),
            "not_sent" => TypedResults.Problem(new ProblemDetails
            {
                Title = "Commands cannot be sent now",
                Detail = audited.Reason,
                Status = StatusCodes.Status503ServiceUnavailable,
                Extensions = { ["id"] = audited.Id },
            }),
            _ => TypedResults.Ok(audited),
        };
    }

    public static async Task<Results<Ok<SiteSwitchProposal>, Ok<SiteSwitchResult>, ProblemHttpResult>> SwitchSiteAsync(
        string site,
        HttpRequest request,
        ClaimsPrincipal user,
        ApiPlant plant,
        CommandSender sender,
        CommandAudit audit,
        CommandSettings settings,
        SiteSwitchConfirmations confirmations,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (plant.FindSite(site) is not { } found)
        {
            return NotFound(plant, site);
        }

        var (body, bodyProblem) = await ReadBodyAsync(request, cancellationToken);
        if (body is not { } json)
        {
            return Invalid(new Dictionary<string, string[]> { ["body"] = [bodyProblem!] }, "The site switch is invalid");
        }

        var (on, token, problems) = ReadSiteSwitch(json);
        var name = user.Identity?.Name ?? "";
        if (problems.Count == 0 && token is not null && confirmations.Redeem(token, name, site, on!.Value) is { } refused)
        {
            problems["confirmation"] = [refused];
        }

        if (problems.Count > 0)
        {
            return Invalid(problems, "The site switch is invalid");
        }

        var targets = found.Gateways
            .SelectMany(g => g.Devices.Select(d => plant.Find(site, d.Id)!))
            .SelectMany(d => Circuits(d).Select(c => (Device: d, Circuit: c)))
            .ToList();
        if (token is null)
        {
            var (issued, expires) = confirmations.Issue(name, site, on!.Value);
            return TypedResults.Ok(new SiteSwitchProposal(site, on.Value, issued, expires, [.. targets.Select(t => new SwitchTarget(t.Device.Gateway.Id, t.Device.Device.Id, t.Circuit))]));
        }

        var commands = await Task.WhenAll(targets.Select(t => CarryOutAsync(
            t.Device, new CheckedCommand(CommandActions.Switch, t.Circuit, on, null, null, null), user, sender, audit, settings, clock, cancellationToken)));
        return TypedResults.Ok(new SiteSwitchResult(site, on!.Value, commands));
    }

    public static async Task<Results<Ok<AuditPage>, ProblemHttpResult>> ListAsync(
        CommandAudit audit,
        CancellationToken cancellationToken,
        [FromQuery] string? site = null,
        [FromQuery] string? device = null,
        [FromQuery] string? limit = null,
        [FromQuery] string? offset = null)
    {
        var problems = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (site is not null && !Identifiers.IsValid(site))
        {
            problems["site"] = [Identifiers.Rule];
        }

        if (device is not null && !Identifiers.IsValid(device))
        {
            problems["device"] = [Identifiers.Rule];
        }

        var take = 50;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out take) || take is < 1 or > CommandAudit.MaxLimit))
        {
            problems["limit"] = [$"must be a whole number 1-{CommandAudit.MaxLimit}"];
        }

        var skip = 0;
        if (offset is not null && (!int.TryParse(offset, NumberStyles.None, CultureInfo.InvariantCulture, out skip) || skip < 0))
        {
            problems["offset"] = ["must be a whole number, 0 or more"];
        }

        if (problems.Count > 0)
        {
            return Invalid(problems, "The audit query is invalid");
        }

        return TypedResults.Ok(await audit.ListAsync(site, device, take, skip, cancellationToken));
    }

    // The body of a site switch: {"on": true|false} and, on the second call, "confirmation".
    private static (bool? On, string? Token, Dictionary<string, string[]> Problems) ReadSiteSwitch(JsonElement json)
    {
        var problems = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (json.ValueKind != JsonValueKind.Object)
        {
            problems["body"] = ["must be a JSON object: {\"on\": true} (and the confirmation)"];
            return (null, null, problems);
        }

        foreach (var property in json.EnumerateObject().Where(p => p.Name is not ("on" or "confirmation")))
        {
            problems[property.Name.Length <= 64 ? property.Name : property.Name[..64] + "…"] = ["is not a field of a site switch: on, confirmation"];
        }

        bool? on = json.TryGetProperty("on", out var onElement) && onElement.ValueKind is JsonValueKind.True or JsonValueKind.False ? onElement.GetBoolean() : null;
        if (on is null)
        {
            problems["on"] = ["must be true or false"];
        }

        string? token = null;
        if (json.TryGetProperty("confirmation", out var confirmation) && confirmation.ValueKind != JsonValueKind.Null)
        {
            token = confirmation.ValueKind == JsonValueKind.String && confirmation.GetString() is { Length: > 0 and <= 64 } text ? text : null;
            if (token is null)
            {
                problems["confirmation"] = ["must be the token the first call answered with"];
            }
        }

        return (on, token, problems);
    }

    /// <summary>
    /// Carries out a checked command for <paramref name="user"/>: audited before it is sent, completed with its outcome,
    /// so that a command is in the audit whatever becomes of it. The endpoints and the web app's pages send through this.
    /// </summary>
    public static async Task<AuditedCommand> CarryOutAsync(
        PlantDevice device,
        CheckedCommand command,
        ClaimsPrincipal user,
        CommandSender sender,
        CommandAudit audit,
        CommandSettings settings,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(clock);
        var id = Guid.NewGuid().ToString("N");
        var now = clock.GetUtcNow();
        var envelope = new CommandEnvelopeFields(id, user.Identity?.Name ?? "", now, now + settings.Lifetime);
        var requested = new AuditedCommand(
            id, envelope.Issuer, Policies.ClientOf(user), device.Site.Id, device.Gateway.Id, device.Device.Id,
            command.Action, command.Describe(), "pending", null, now, null);
        await audit.RequestedAsync(requested, CancellationToken.None);
        var outcome = await sender.SendAsync(device, command, envelope, settings.Timeout, cancellationToken);
        var answered = outcome switch
        {
            { Answer: { } answer } => requested with { Result = answer.Result, Reason = answer.Reason, AnsweredAt = clock.GetUtcNow() },
            { Unsent: { } unsent } => requested with { Result = "not_sent", Reason = unsent },
            _ => requested with
            {
                Result = "timeout",
                Reason = string.Create(CultureInfo.InvariantCulture, $"gateway {device.Gateway.Id} did not answer within {settings.Timeout.TotalSeconds:0.#} s; ") + outcome.GatewayState switch
                {
                    "offline" => "its retained state says it is offline",
                    "online" => "its retained state says it is online, so the device or the gateway is busy or stuck",
                    _ => "its state is unknown (no retained state seen)",
                },
            },
        };

        // Completed even when the caller went away: the command may have been carried out.
        await audit.AnsweredAsync(id, answered.Result, answered.Reason, answered.AnsweredAt, CancellationToken.None);
        return answered;
    }

    private static IEnumerable<int?> Circuits(PlantDevice device)
    {
        var profile = device.Device.Profile;
        if (profile.CircuitCount == 0)
        {
            return CommandPermissions.SwitchPoint(profile, null) is null ? [] : [null];
        }

        return Enumerable.Range(1, profile.CircuitCount).Where(c => CommandPermissions.SwitchPoint(profile, c) is not null).Select(c => (int?)c);
    }

    private static async Task<(JsonElement? Body, string? Problem)> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return (null, $"must be at most {MaxBodyBytes} bytes");
        }

        var buffer = new byte[MaxBodyBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
        }

        if (length > MaxBodyBytes)
        {
            return (null, $"must be at most {MaxBodyBytes} bytes");
        }

        try
        {
            using var document = JsonDocument.Parse(buffer.AsMemory(0, length), new JsonDocumentOptions { MaxDepth = 8 });
            return (document.RootElement.Clone(), null);
        }
        catch (JsonException)
        {
            return (null, "is not JSON");
        }
    }

    private static ProblemHttpResult NotFound(ApiPlant plant, string site) =>
        TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]>
        {
            [plant.FindSite(site) is null ? "site" : "device"] = [plant.FindSite(site) is null ? "no such site" : "the site has no such device"],
        })
        {
            Title = plant.FindSite(site) is null ? "No such site" : "No such device",
            Status = StatusCodes.Status404NotFound,
        });

    private static ProblemHttpResult Invalid(IDictionary<string, string[]> problems, string title) =>
        TypedResults.Problem(new HttpValidationProblemDetails(problems) { Title = title, Status = StatusCodes.Status400BadRequest });
}
