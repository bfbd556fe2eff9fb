using Telemetry.Api.Live;
using Telemetry.Api.Plant;
using Telemetry.Api.Tests.Access;
using Telemetry.Contracts;

namespace Telemetry.Api.Tests.Live;

public sealed class LivePlantTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 20, 0, 0, TimeSpan.Zero);
    private readonly LiveEvents events = new(0);
    private readonly LivePlant plant;

    public LivePlantTests() =>
        plant = new LivePlant(ApiPlant.Load(new ApiSettings { Database = "unused.db", SiteFiles = [ApiHost.DemoSite] }), events, maxUnknownDevices: 2);

    [Fact]
    public void The_lighting_rate_counts_only_circuits_where_lighting_is_due_on_with_the_lamps_the_site_file_gives_each()
    {
        // sc-01: circuit 1 has 24 lamps, circuit 2 has 22.
        plant.OnReadings("demo", "gw-demo-01", [Circuit("1", lit: 18, on: true), Circuit("2", lit: 0, on: false)], Now);

        var device = plant.Device("demo", "sc-01", null, Now)!;

        Assert.Equal(new LightingRate(18, 24), device.Lighting);
        Assert.Equal(0.75, device.Lighting!.Rate);
        Assert.Null(device.Readings.Single(r => r.Circuit == "2").Lighting);
        Assert.Equal(new LightingRate(18, 24), plant.Sites(Now).Single(s => s.Id == "demo").Lighting);
    }

    [Fact]
    public void A_device_is_silent_after_three_poll_intervals_without_a_reading_and_that_is_a_status_change()
    {
        plant.OnReadings("demo", "gw-demo-01", [Circuit("1", lit: 24, on: true)], Now);
        var interval = plant.Device("demo", "sc-01", null, Now)!.PollInterval;
        var (_, before) = events.Cursor;

        plant.Sweep(Now + (interval * LivePlant.SilentAfterPolls));
        Assert.True(plant.Device("demo", "sc-01", null, Now + (interval * LivePlant.SilentAfterPolls))!.Online);
        plant.Sweep(Now + (interval * LivePlant.SilentAfterPolls) + TimeSpan.FromSeconds(1));

        var change = Assert.Single(events.StatusAfter(before)!);
        Assert.Equal(("device", "sc-01", "silent"), (change.Kind, change.Device, change.State));
    }

    [Fact]
    public void Devices_no_site_file_lists_are_kept_up_to_the_cap_and_the_rest_counted()
    {
        foreach (var device in new[] { "x-1", "x-2", "x-3" })
        {
            plant.OnReadings("demo", "gw-demo-01", [new Reading { Device = device, Family = DeviceFamily.HighMast, Ts = Now }], Now);
        }

        Assert.Equal(2, plant.UnknownDevices);
        Assert.Equal(1, plant.UnknownRefused);
        Assert.False(plant.Device("demo", "x-1", null, Now)!.Known);
        Assert.Null(plant.Device("demo", "x-3", null, Now));
    }

    private static Reading Circuit(string circuit, int lit, bool on) => new()
    {
        Device = "sc-01",
        Family = DeviceFamily.StreetController,
        Ts = Now,
        Circuit = circuit,
        Values = new Dictionary<string, ReadingValue> { [PointNames.LampsLit] = lit, [PointNames.CommandedOn] = on },
    };
}
