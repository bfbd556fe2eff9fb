using System.Globalization;
using System.Text.Json;
using Telemetry.Contracts;
using Telemetry.Contracts.Validation;
using Telemetry.Maintenance.Faults;
using Telemetry.Rules.Configuration;
using Telemetry.Rules.Evaluation;

namespace Telemetry.Rules.Consuming;

/// <summary>
/// Turns a consumer group's data-gap report into a grade-3 <see cref="FaultType.DataGap"/> ticket on the gateway, naming the
/// group and the batches lost. The ticket is the operator's: readings in those batches were never stored or never judged,
/// so reports, charts and fault detection have a hole there. A report that breaks the contract is refused with its reason.
/// </summary>
public sealed class DataGapTickets(PlantFiles plant, Topics topics)
{
    // Every message Rules takes is asked about, so the prefix is made once.
    private readonly string _prefix = topics.DataGap("x")[..^1];

    /// <summary>Whether <paramref name="topicName"/> is a consumer group's data-gap topic.</summary>
    public bool IsDataGap(string topicName) =>
        topicName.StartsWith(_prefix, StringComparison.Ordinal) && topicName.IndexOf('/', _prefix.Length) < 0;

    /// <summary>The ticket's detection for the report; or the reason it is refused.</summary>
    public FaultDetected? Read(string topicName, ReadOnlySpan<byte> payload, out Rejection? rejection)
    {
        rejection = null;
        DataGapReport? report;
        try
        {
            report = JsonSerializer.Deserialize(payload, ContractsJson.Default.DataGapReport);
        }
        catch (JsonException ex)
        {
            rejection = new Rejection(RejectionReason.MalformedJson, ex.Path is { Length: > 0 } path ? $"{ex.Message} (at {path})" : ex.Message);
            return null;
        }

        var group = topicName[(topicName.LastIndexOf('/') + 1)..];
        var problem = report switch
        {
            null => "the payload is JSON null",
            { V: not 1 } => $"$.v: version {report.V} is not 1",
            _ when !Identifiers.IsValid(report.Site) || !Identifiers.IsValid(report.Gateway) || !Identifiers.IsValid(report.Group) =>
                "$.site, $.gateway and $.group must be identifiers",
            _ when report.Group != group => $"$.group '{report.Group}' is not the topic's group '{group}'",
            _ when report.First < 0 || report.Last < report.First => $"$.first ({report.First}) and $.last ({report.Last}) are not a range",
            _ when !DataGapReasons.IsKnown(report.Reason) => $"$.reason '{Shorten(report.Reason)}' is not one of not_held, restarted, unanswered, too_many_gaps",
            _ => null,
        };
        if (problem is not null)
        {
            rejection = new Rejection(RejectionReason.MalformedJson, problem);
            return null;
        }

        var directory = plant.CreateDirectory();
        var gateway = directory.FindGateway(report!.Site, report.Gateway);
        var site = directory.FindSite(report.Site);
        var count = report.Last - report.First + 1;
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"{count} batches of readings ({report.First}-{report.Last}) of gateway {report.Site}/{report.Gateway} never reached {report.Group} ({Explain(report.Reason)}); missing since {report.Since:u}");
        return new FaultDetected(
            new AssetRef(report.Site, report.Gateway),
            FaultType.DataGap,
            FaultType.DataGap.DefaultGrade(),
            report.At,
            summary,
            new Dictionary<string, double>(StringComparer.Ordinal) { ["first_seq"] = report.First, ["last_seq"] = report.Last, ["batches"] = count },
            gateway?.Crew ?? site?.DefaultCrew,
            gateway?.Zone ?? site?.DefaultZone ?? Devices.Sites.CrewZone.Inner);
    }

    private static string Explain(string reason) => reason switch
    {
        DataGapReasons.NotHeld => "the gateway no longer holds them",
        DataGapReasons.Restarted => "the gateway began its numbering again",
        DataGapReasons.Unanswered => "asked for again without effect",
        _ => "too many gaps open at once",
    };

    private static string Shorten(string text) => text.Length <= 64 ? text : string.Concat(text.AsSpan(0, 64), "…");
}
