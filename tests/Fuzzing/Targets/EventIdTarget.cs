using System.Globalization;
using System.Text;
using FsCheck;
using Telemetry.Api.Live;
using Telemetry.Fuzzing.Inputs;

namespace Telemetry.Fuzzing.Targets;

/// <summary>
/// The <c>Last-Event-ID</c> of <c>GET /api/events</c>: <see cref="EventStream.ParseCursor"/> reads a cursor
/// <c>{ticket seq}-{status seq}</c> back exactly as the stream writes it, and refuses anything else (the endpoint then
/// answers 400 naming the header), never throwing.
/// </summary>
public sealed class EventIdTarget : IFuzzTarget
{
    private const string ValidId = "120-1765108800000045";

    public string Name => "api-event-id";

    public Gen<byte[]> Inputs { get; } = HostileText.Around(ValidId, "0-0", "999999999999999999-1", "1-9223372036854775807");

    public FuzzOutcome Feed(byte[] input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var text = Encoding.UTF8.GetString(input);
        try
        {
            if (EventStream.ParseCursor(text) is not { } cursor)
            {
                return FuzzOutcome.Refused("not_a_cursor", $"'{(text.Length <= 64 ? text : text[..64])}' is not {{ticket seq}}-{{status seq}}");
            }

            var written = string.Create(CultureInfo.InvariantCulture, $"{cursor.Ticket}-{cursor.Status}");
            return written == text ? FuzzOutcome.Accepted : FuzzOutcome.Failed($"'{text}' was read as {written}, which is another spelling");
        }
        catch (Exception ex)
        {
            return FuzzOutcome.Threw(ex);
        }
    }

    public bool FeedValid() => EventStream.ParseCursor(ValidId) == (120, 1765108800000045);
}
