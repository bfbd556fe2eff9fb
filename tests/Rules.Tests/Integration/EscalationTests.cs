using System.Net;
using System.Text.Json;
using Telemetry.Testing;

namespace Telemetry.Rules.Tests.Integration;

/// <summary>
/// Escalation with every service a process: a ticket acknowledged in time is never escalated for its response, while
/// one left unanswered is, once, by the same sweeps. The response times are shortened to a minute through the Api,
/// as an admin would change the contract's terms, so that the deadlines pass while the test watches.
/// </summary>
public sealed class EscalationTests(RulesFixture fixture) : IClassFixture<RulesFixture>
{
    private const string Mast = "rig/gw-rig/mast-01";
    private const string Box = "rig/gw-rig/box-01";

    private static readonly TimeSpan Pipeline = TimeSpan.FromSeconds(45);

    private PlantRig Rig => fixture.Rig;

    [Fact]
    public async Task A_ticket_acknowledged_in_time_is_not_escalated_while_one_left_unanswered_is_escalated_once()
    {
        var api = Rig.Api!.HealthUrl;
        using var admin = await Rig.SignInAsync("rig.admin", "admin");
        await Rig.ChangeServiceLevelsAsync(admin, new Dictionary<string, long?> { ["grade1_respond_min"] = 1, ["grade2_respond_min"] = 1 }, "a minute to answer, for the escalation test");

        // The mast goes dark (grade 1) and the crew answers at once; the box's insulation falls (grade 2) and nobody answers.
        await Rig.CommandDeviceAsync("mast-01", "commanded_on", true);
        await Rig.InjectFaultAsync("mast-01", new { fault = "lamps_dark", count = 12 });
        var mast = (await Eventually.ValueAsync(() => Rig.TicketsAsync($"asset={Uri.EscapeDataString(Mast)}&open=true"), t => t.Count > 0, "a ticket on the dark mast", Pipeline, Rig.Logs))[0];
        using var acknowledged = await Rig.CrewClient.PostAsync(new Uri(api, $"/api/tickets/{mast.Number()}/acknowledge"), null);
        Assert.Equal(HttpStatusCode.OK, acknowledged.StatusCode);
        await Rig.InjectFaultAsync("box-01", new { fault = "low_insulation", mohm = 0.3 });
        var box = (await Eventually.ValueAsync(() => Rig.TicketsAsync($"asset={Uri.EscapeDataString(Box)}&open=true"), t => t.Count > 0, "a ticket on the box", Pipeline, Rig.Logs))[0];

        // The box's response is escalated by a sweep after its minute; that sweep came after the mast's minute too.
        var escalated = await Eventually.ValueAsync(
            () => Rig.TicketAsync(box.Number()),
            t => t.GetProperty("escalations").GetArrayLength() > 0,
            "the unanswered box ticket is escalated",
            TimeSpan.FromMinutes(3),
            Rig.Logs);
        var escalation = Assert.Single(escalated.GetProperty("escalations").EnumerateArray());
        Assert.Equal("response", escalation.GetProperty("deadline").GetString());
        Assert.True(Due(escalated, "response") >= Due(mast, "response"), "the box's response fell due after the mast's");

        var answered = await Rig.TicketAsync(mast.Number());
        Assert.Empty(answered.GetProperty("escalations").EnumerateArray());
        var response = Deadline(answered, "response");
        Assert.False(response.GetProperty("breached").GetBoolean());
        Assert.True(response.GetProperty("done_at").GetDateTimeOffset() <= response.GetProperty("due").GetDateTimeOffset());
    }

    private static JsonElement Deadline(JsonElement ticket, string kind) =>
        ticket.GetProperty("deadlines").EnumerateArray().Single(d => d.GetProperty("kind").GetString() == kind);

    private static DateTimeOffset Due(JsonElement ticket, string kind) => Deadline(ticket, kind).GetProperty("due").GetDateTimeOffset();
}
