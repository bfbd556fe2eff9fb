using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Telemetry.Devices.Decoding;
using Telemetry.Devices.Sites;
using Telemetry.Simulator.Faults;

namespace Telemetry.Simulator.Scenarios;

/// <summary>One broken rule of a scenario file: the file, the JSON path, what is wrong.</summary>
public sealed record ScenarioError(string Source, string Path, string Detail)
{
    public override string ToString() => $"{Source}: {Path}: {Detail}";
}

/// <summary>A scenario file broke one or more rules; all are listed.</summary>
public sealed class ScenarioValidationException(IReadOnlyList<ScenarioError> errors)
    : Exception($"{errors.Count} scenario error(s):{Environment.NewLine}{string.Join(Environment.NewLine, errors.Select(e => "  " + e))}")
{
    public IReadOnlyList<ScenarioError> Errors { get; } = errors;
}

/// <summary>Reads scenario files and checks every event against the site: devices, faults, points and values.</summary>
public static class ScenarioLoader
{
    public static Scenario LoadFile(string path, Site site)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Parse(File.ReadAllText(path), path, site);
    }

    /// <exception cref="ScenarioValidationException">The text broke one or more rules; all are listed.</exception>
    public static Scenario Parse(string json, string source, Site site)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(site);
        var errors = new List<ScenarioError>();
        ScenarioDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(json, ScenarioJsonContext.Default.ScenarioDocument);
        }
        catch (JsonException e)
        {
            throw new ScenarioValidationException([new ScenarioError(source, e.Path ?? "$", e.Message)]);
        }

        if (document is null)
        {
            throw new ScenarioValidationException([new ScenarioError(source, "$", "a scenario is a JSON object")]);
        }

        if (string.IsNullOrWhiteSpace(document.Scenario))
        {
            errors.Add(new ScenarioError(source, "$.scenario", "'scenario' (its name) is required"));
        }

        if (document.Site is not null && document.Site != site.Id)
        {
            errors.Add(new ScenarioError(source, "$.site", $"the scenario is for site '{document.Site}', not '{site.Id}'"));
        }

        var events = new List<ScenarioEvent>();
        for (var i = 0; i < (document.Events?.Count ?? 0); i++)
        {
            if (Event(document.Events![i], $"$.events[{i}]", site, source, errors) is { } parsed)
            {
                events.Add(parsed);
            }
        }

        return errors.Count > 0
            ? throw new ScenarioValidationException(errors)
            : new Scenario(document.Scenario!, document.Description, events, source);
    }

    private static ScenarioEvent? Event(EventDocument document, string path, Site site, string source, List<ScenarioError> errors)
    {
        var before = errors.Count;
        void Error(string at, string detail) => errors.Add(new ScenarioError(source, at, detail));

        var offset = TimeSpan.Zero;
        if (document.At is null || !TimeSpan.TryParseExact(document.At, ["c", @"hh\:mm\:ss", @"mm\:ss"], CultureInfo.InvariantCulture, out offset) || offset < TimeSpan.Zero)
        {
            Error($"{path}.at", $"'at' must be a non-negative offset from the start such as \"00:02:30\" (hh:mm:ss), not '{document.At}'");
        }

        var device = document.Device is null ? null : site.FindDevice(document.Device);
        if (device is null)
        {
            Error($"{path}.device", document.Device is null ? "'device' is required" : $"the site has no device '{document.Device}'");
        }

        var actions = new[] { document.Fault is not null, document.Clear is not null, document.Command is not null, document.Set is not null, document.Unset is not null };
        if (actions.Count(a => a) != 1)
        {
            Error(path, "an event does exactly one of 'fault', 'clear', 'command', 'set', 'unset'");
            return null;
        }

        if (device is null || errors.Count > before)
        {
            return null;
        }

        var scenarioEvent = new ScenarioEvent { Offset = offset, Device = device.Id, Action = ScenarioAction.Inject, Circuit = document.Circuit, Note = document.Note };
        if (document.Fault is not null)
        {
            var fault = document.ToFault();
            var (_, problems) = Fault.Validate(fault, device);
            foreach (var problem in problems)
            {
                Error(path, problem);
            }

            return errors.Count > before ? null : scenarioEvent with { Fault = fault };
        }

        if (document.Clear is { } clear)
        {
            FaultKind? kind = null;
            if (clear != "all")
            {
                if (!FaultKinds.TryParse(clear, out var parsed))
                {
                    Error($"{path}.clear", $"'{clear}' is neither 'all' nor a fault ({string.Join(", ", FaultKinds.Names)})");
                    return null;
                }

                kind = parsed;
            }

            return scenarioEvent with { Action = ScenarioAction.Clear, ClearKind = kind };
        }

        var point = document.Command ?? document.Set ?? document.Unset!;
        if (document.Unset is null && document.Value is null)
        {
            Error($"{path}.value", "'value' is required");
            return null;
        }

        if (document.Command is not null)
        {
            if (!CommandEncoder.TryEncode(device.Profile, point, document.Circuit, document.Value!.Value, out _, out var rejection))
            {
                Error($"{path}.command", rejection.ToString());
                return null;
            }

            return scenarioEvent with { Action = ScenarioAction.Command, Point = point, Value = document.Value };
        }

        if (!device.Profile.Points.Any(p => p.Circuit == document.Circuit && p.ValueNames().Contains(point)))
        {
            Error(document.Set is null ? $"{path}.unset" : $"{path}.set", $"model {device.Model} has no value '{point}'{(document.Circuit is { } c ? $" in circuit {c}" : " at device level")}");
            return null;
        }

        return scenarioEvent with { Action = document.Set is null ? ScenarioAction.Unset : ScenarioAction.Set, Point = point, Value = document.Value };
    }
}

internal sealed class ScenarioDocument
{
    [JsonPropertyName("$schema")]
    public string? Schema { get; init; }

    public string? Scenario { get; init; }

    public string? Description { get; init; }

    public string? Site { get; init; }

    public List<EventDocument>? Events { get; init; }
}

/// <summary>A scenario event: when, which device, and a fault (the fault's own fields), a command or a value.</summary>
internal sealed class EventDocument : FaultDocument
{
    public string? At { get; init; }

    public string? Device { get; init; }

    public string? Note { get; init; }

    public string? Clear { get; init; }

    public string? Command { get; init; }

    public string? Set { get; init; }

    public string? Unset { get; init; }

    public PointValue? Value { get; init; }

    /// <summary>The fault this event injects, as the fault API takes it.</summary>
    public FaultDocument ToFault() => this;
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(ScenarioDocument))]
internal sealed partial class ScenarioJsonContext : JsonSerializerContext;
