using System.Text.Json;
using Telemetry.Testing;

namespace Telemetry.Rules.Tests.Integration;

/// <summary>
/// One plant with every service running for real: simulator, gateway, Mosquitto, Ingest with InfluxDB, Rules
/// and Api. Lamps do not fail by themselves, so a test knows exactly how many are dark. Simulated time runs ten
/// times real time, so a battery test ends within a minute while the lighting schedule switches only hours apart.
/// </summary>
public sealed class RulesFixture : IAsyncLifetime
{
    public PlantRig Rig { get; private set; } = null!;

    public static IReadOnlyList<PlantDevice> Devices { get; } =
    [
        new("mast-01", "jg-hmc24", "high_mast", true, 1, 1, Crew: "crew-masts"),
        new("eps-01", "yd-eps1k", "emergency_battery", true, 2, 1, Crew: "crew-central"),
        new("box-01", "ak-dbm300", "distribution_box", false, 1, 1, Crew: "crew-central"),
        new("sc-01", "mg-slc4", "street_controller", false, 2, 1, Crew: "crew-north"),
    ];

    public async Task InitializeAsync() => Rig = await PlantRig.StartAsync(PlantRigOptions.EveryService(Devices));

    public async Task DisposeAsync()
    {
        if (Rig is not null)
        {
            await Rig.DisposeAsync();
        }
    }
}

internal static class TicketJson
{
    public static string Fault(this JsonElement ticket) => ticket.GetProperty("fault").GetString()!;

    public static int Grade(this JsonElement ticket) => ticket.GetProperty("grade").GetInt32();

    public static string Number(this JsonElement ticket) => ticket.GetProperty("number").GetString()!;

    public static bool ConditionActive(this JsonElement ticket) => ticket.GetProperty("condition_active").GetBoolean();

    public static string Summary(this JsonElement ticket) => ticket.GetProperty("summary").GetString()!;
}
