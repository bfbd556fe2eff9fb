using System.Security.Claims;
using Telemetry.Api.Plant;
using Telemetry.Api.Tickets;
using Telemetry.Contracts;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Tickets;

namespace Telemetry.Api.Web.Devices;

/// <summary>The manual opening form as the operator fills it in.</summary>
public sealed class ManualOpeningForm
{
    public string? Fault { get; set; }

    public int? Grade { get; set; }

    public string? Description { get; set; }

    public string? Crew { get; set; }
}

/// <summary>A field of the form that is wrong: the field, the words' key in <see cref="DevicesText"/>, and their argument.</summary>
public sealed record OpeningProblem(string Field, string Words, object? Argument = null);

/// <summary>What opening gave: the ticket, the field problems, or the store's refusal (a ticket already open).</summary>
public sealed record OpeningOutcome(Ticket? Ticket, IReadOnlyList<OpeningProblem> Problems, TicketRefusal? Refusal);

/// <summary>
/// Opens a ticket by hand on a device for an operator, with the checks <c>POST /api/tickets</c> makes on the same
/// fields (<see cref="ActionBody"/>): a fault of the catalogue, a grade 1 to 4, a description not blank and at most
/// <see cref="ActionBody.MaxText"/> characters without control characters, a crew that is an identifier or none. The
/// ticket is built as the endpoint builds one for an asset and taken through <see cref="TicketActions"/>.
/// </summary>
public sealed class ManualOpening(TicketActions actions)
{
    /// <summary>The form for a device: its crew, and the grade of the fault once one is chosen.</summary>
    public static ManualOpeningForm NewForm(PlantDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return new ManualOpeningForm { Crew = device.Device.Crew };
    }

    /// <summary>The grade the catalogue gives <paramref name="fault"/>, which the form proposes when the fault is chosen.</summary>
    public static int? DefaultGrade(string? fault) => FaultType.TryParse(fault, out var type) ? (int)type.DefaultGrade() : null;

    public static IReadOnlyList<OpeningProblem> Check(ManualOpeningForm form)
    {
        ArgumentNullException.ThrowIfNull(form);
        var problems = new List<OpeningProblem>();
        if (!FaultType.TryParse(form.Fault, out _))
        {
            problems.Add(new("fault", "Open.FaultRequired"));
        }

        if (form.Grade is not (>= 1 and <= 4))
        {
            problems.Add(new("grade", "Open.GradeRequired"));
        }

        if (DescriptionProblem(form.Description) is { } description)
        {
            problems.Add(description);
        }

        if (CrewProblem(form.Crew) is { } crew)
        {
            problems.Add(crew);
        }

        return problems;
    }

    public static OpeningProblem? DescriptionProblem(string? description) =>
        string.IsNullOrWhiteSpace(description) ? new("description", "Open.DescriptionRequired")
        : description.Length > ActionBody.MaxText ? new("description", "Open.TooLong", ActionBody.MaxText)
        : description.Any(c => char.IsControl(c) && c is not '\t' and not '\n' and not '\r') ? new("description", "Open.ControlCharacters")
        : null;

    public static OpeningProblem? CrewProblem(string? crew) =>
        string.IsNullOrWhiteSpace(crew) || Identifiers.IsValid(crew.Trim()) ? null : new("crew", "Open.CrewInvalid");

    public async Task<OpeningOutcome> OpenAsync(ClaimsPrincipal user, PlantDevice device, ManualOpeningForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        var problems = Check(form);
        if (problems.Count > 0 || !FaultType.TryParse(form.Fault, out var fault))
        {
            return new(null, problems, null);
        }

        var asset = DeviceDirectory.AssetOf(device);
        var crew = string.IsNullOrWhiteSpace(form.Crew) ? null : form.Crew.Trim();
        var grade = (FaultGrade)form.Grade!.Value;
        var result = await actions.OpenAsync(
            user,
            by => new ManualTicket(asset, fault, grade, form.Description!, crew, device.Device.CrewZone, by.Actor, by.Client),
            cancellationToken);
        return new(result.Ticket, [], result.Refusal);
    }
}
