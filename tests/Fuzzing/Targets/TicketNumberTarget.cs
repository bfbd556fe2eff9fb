using System.Text;
using FsCheck;
using Microsoft.AspNetCore.Http;
using Telemetry.Api.Tickets;
using Telemetry.Fuzzing.Inputs;
using Telemetry.Maintenance.Tickets;

namespace Telemetry.Fuzzing.Targets;

/// <summary>
/// <c>GET /api/tickets/{number}</c>: <see cref="TicketNumber.TryParse(string?, out TicketNumber, out string?)"/>
/// on the route value, then the endpoint's handler (<see cref="TicketEndpoints.GetAsync"/>) through ASP.NET
/// Core's binding, to the SQLite store. A number is read back exactly as written (the rule allows one spelling
/// of each) and looked up (404 in an empty store); anything else gets a 400 saying which part is wrong.
/// </summary>
public sealed class TicketNumberTarget : IFuzzTarget, IDisposable
{
    private const string ValidNumber = "YW2611-0007";

    private readonly TicketApiHost _api = new();
    private readonly RequestDelegate _get;

    public TicketNumberTarget() => _get = _api.Endpoint(TicketEndpoints.GetAsync);

    public string Name => "api-ticket-number";

    public Gen<byte[]> Inputs { get; } = HostileText.Around(ValidNumber, "AB2601-0001", "YW9912-10000", "Z0001-2147483647", "ABCDEFGH2612-0042");

    public FuzzOutcome Feed(byte[] input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var text = Encoding.UTF8.GetString(input);
        try
        {
            var parsed = TicketNumber.TryParse(text, out var number, out var error);
            if (parsed && number.ToString() != text)
            {
                return FuzzOutcome.Failed($"'{text}' was read as {number}, which is another spelling");
            }

            var status = _api.Get(_get, "/api/tickets/{number}", number: text);
            return (parsed, status) switch
            {
                (true, StatusCodes.Status404NotFound) => FuzzOutcome.Accepted,
                (false, StatusCodes.Status400BadRequest) => FuzzOutcome.Refused(Reason(error), error),
                _ => FuzzOutcome.Failed($"'{text}' {(parsed ? "is" : "is not")} a number, and the endpoint answered {status}: {_api.Body}"),
            };
        }
        catch (Exception ex)
        {
            return FuzzOutcome.Threw(ex);
        }
    }

    public bool FeedValid() =>
        TicketNumber.TryParse(ValidNumber, out var number) && number.Sequence == 7
        && _api.Get(_get, "/api/tickets/{number}", number: ValidNumber) == StatusCodes.Status404NotFound;

    public void Dispose() => _api.Dispose();

    /// <summary>The part of the number the error names.</summary>
    private static string Reason(string? error) => error switch
    {
        null => "",
        _ when error.StartsWith("it is empty", StringComparison.Ordinal) => "empty",
        _ when error.Contains("no dash", StringComparison.Ordinal) => "no_dash",
        _ when error.Contains("unit", StringComparison.Ordinal) => "unit",
        _ when error.Contains("YYMM", StringComparison.Ordinal) => "period",
        _ when error.Contains("month", StringComparison.Ordinal) => "month",
        _ => "sequence",
    };
}
