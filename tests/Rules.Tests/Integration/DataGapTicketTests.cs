using System.Globalization;
using System.Text.Json;
using Telemetry.Testing;

namespace Telemetry.Rules.Tests.Integration;

/// <summary>
/// A consumer group down longer than the gateway keeps its batches: Rules stopped, the broker restarted meanwhile (it does
/// not keep shared subscriptions, so the batches sent while Rules was away reach nobody of its group), and the gateway's
/// retention passed. Back, Rules finds the gap, asks for it, hears that the gateway no longer holds it, and opens one
/// grade-3 data-gap ticket naming the gateway and the lost range; the stream after the gap is judged as before.
/// </summary>
public sealed class DataGapTicketTests
{
    [Fact]
    public async Task Rules_down_past_the_gateways_retention_opens_one_data_gap_ticket_naming_the_gateway_and_the_lost_range()
    {
        await using var rig = await PlantRig.StartAsync(new PlantRigOptions
        {
            Devices = [new PlantDevice("box-01", "ak-dbm300", "distribution_box", false, 1, 1, Crew: "crew-central")],
            WithRules = true,
            GatewaySettings = new Dictionary<string, string> { ["Gateway:Replay:Retention"] = "00:00:08" },
            RulesSettings = new Dictionary<string, string> { ["Sequences:Grace"] = "00:00:01", ["Sequences:Retry"] = "00:00:03" },
        });
        await Eventually.TrueAsync(async () => (await FloorAsync(rig.Rules!)) >= 3, "Rules judges the first batches", TimeSpan.FromSeconds(60));

        await rig.Rules!.StopAsync();
        var judged = await SavedFloorAsync(rig);
        await rig.Broker.StopAsync();
        await rig.Broker.StartAgainAsync();

        // Until the gateway holds nothing of what Rules has not judged.
        await Eventually.TrueAsync(
            async () => await FirstHeldAsync(rig) > judged + 2,
            "the gateway drops the batches Rules missed",
            TimeSpan.FromSeconds(90));
        await rig.Rules.StartAgainAsync();

        var ticket = Assert.Single(await Eventually.ValueAsync(
            () => rig.TicketsAsync("fault=data_gap"),
            t => t.Count > 0,
            $"a data-gap ticket\n{rig.Logs()}",
            TimeSpan.FromSeconds(60)));
        Assert.Equal("rig/gw-rig", ticket.GetProperty("asset").GetString());
        Assert.Equal(3, ticket.GetProperty("grade").GetInt32());
        var summary = ticket.GetProperty("summary").GetString()!;
        var first = (judged + 1).ToString(CultureInfo.InvariantCulture);
        Assert.True(summary.Contains($"({first}-", StringComparison.Ordinal) && summary.Contains("gateway rig/gw-rig", StringComparison.Ordinal), summary);

        // Health says so; the batches after the gap are judged; asked again, no second ticket.
        using var health = JsonDocument.Parse(await rig.Rules.HealthAsync());
        var sequences = health.RootElement.GetProperty("sequences");
        Assert.True(sequences.GetProperty("lost").GetInt64() >= 2, sequences.ToString());
        Assert.Equal(0, sequences.GetProperty("open_gaps").GetInt32());
        Assert.Contains("data-gap ticket", health.RootElement.GetProperty("reasons").ToString(), StringComparison.Ordinal);
        var after = await FloorAsync(rig.Rules);
        await Eventually.TrueAsync(async () => await FloorAsync(rig.Rules) > after + 3, "Rules judges on after the gap", TimeSpan.FromSeconds(30));
        Assert.Single(await rig.TicketsAsync("fault=data_gap"));
    }

    private static async Task<long> FloorAsync(ServiceProcess rules)
    {
        using var health = JsonDocument.Parse(await rules.HealthAsync());
        var streams = health.RootElement.GetProperty("sequences").GetProperty("streams");
        return streams.GetArrayLength() == 0 ? 0 : streams[0].GetProperty("floor").GetInt64();
    }

    /// <summary>What Rules saved on its way out: every seq up to the floor judged.</summary>
    private static async Task<long> SavedFloorAsync(PlantRig rig)
    {
        using var saved = JsonDocument.Parse(await File.ReadAllTextAsync(Path.ChangeExtension(rig.DatabasePath, null) + ".sequences.json"));
        var stream = saved.RootElement.GetProperty("streams")[0];
        var ranges = stream.GetProperty("ranges");
        return ranges.GetArrayLength() == 0 ? stream.GetProperty("floor").GetInt64() : ranges[ranges.GetArrayLength() - 1][1].GetInt64();
    }

    private static async Task<long> FirstHeldAsync(PlantRig rig)
    {
        using var health = JsonDocument.Parse(await rig.Gateway.HealthAsync());
        var archive = health.RootElement.GetProperty("replay").GetProperty("archive");
        return archive.TryGetProperty("first_seq", out var first) ? first.GetInt64() : 0;
    }
}
