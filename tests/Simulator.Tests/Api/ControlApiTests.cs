using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Telemetry.Modbus;
using Telemetry.Testing;

namespace Telemetry.Simulator.Tests.Api;

/// <summary>One simulator process for the control API tests: manual clock, test-small site, free ports.</summary>
public sealed class SimulatorProcessFixture : IAsyncLifetime
{
    public int ModbusPort { get; } = FreePort.Next();

    public PseudoTerminalPair Pty { get; private set; } = null!;

    public SimulatorProcess Simulator { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Pty = await PseudoTerminalPair.StartAsync();
        try
        {
            Simulator = await StartSimulatorAsync();
        }
        catch
        {
            await Pty.DisposeAsync(); // xunit does not call DisposeAsync when InitializeAsync fails
            throw;
        }
    }

    private Task<SimulatorProcess> StartSimulatorAsync() =>
        SimulatorProcess.StartAsync(Path.Combine(RepositoryPaths.Hardware, "sites", "test-small.json"), new Dictionary<string, string>
        {
            ["Simulator:Clock:Mode"] = "Manual",
            ["Simulator:Clock:Start"] = "2026-11-22T14:00:00Z",
            ["Simulator:Seed"] = "5",
            ["Simulator:Tcp:tcp-1"] = ModbusPort.ToString(CultureInfo.InvariantCulture),
            ["Simulator:Serial:rs485-1"] = Pty.B,
        });

    public async Task DisposeAsync()
    {
        await Simulator.StopAsync();
        await Simulator.DisposeAsync();
        await Pty.DisposeAsync();
    }
}

/// <summary>The simulator as a process, driven through its control API on a manual clock and read over Modbus.</summary>
/// <remarks>The tests share one process; each works on devices of its own, and only one moves the clock.</remarks>
public sealed class ControlApiTests(SimulatorProcessFixture fixture) : IClassFixture<SimulatorProcessFixture>, IDisposable
{
    private readonly int modbusPort = fixture.ModbusPort;
    private readonly PseudoTerminalPair pty = fixture.Pty;
    private readonly HttpClient http = new() { BaseAddress = fixture.Simulator.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };

    public void Dispose() => http.Dispose();

    [Fact]
    public async Task Devices_are_listed_with_their_links_and_faults()
    {
        var devices = (await http.GetFromJsonAsync<JsonArray>("devices"))!;

        Assert.Equal(["sc-1", "sc-2", "box-1", "ltc-1", "mast-1", "eps-1", "ltc-2"], devices.Select(d => (string)d!["id"]!));
        Assert.Equal("street_controller", (string)devices[0]!["family"]!);
        Assert.Equal($"tcp://127.0.0.1:{modbusPort}", (string)devices[0]!["endpoint"]!);
        Assert.Equal("rs485-1", (string)devices[4]!["link"]!);

        var mast = (await http.GetFromJsonAsync<JsonObject>("devices/mast-1"))!;
        Assert.Equal(12, (int)mast["values"]!["lamps_installed"]!);
        Assert.InRange((DateTimeOffset)mast["time"]!, DateTimeOffset.Parse("2026-11-22T14:00:00Z", CultureInfo.InvariantCulture), DateTimeOffset.Parse("2026-11-22T14:10:00Z", CultureInfo.InvariantCulture));
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("devices/nope")).StatusCode);
    }

    [Fact]
    public async Task A_fault_injected_through_the_api_shows_on_the_bus_and_clears()
    {
        await using var master = ModbusMaster.ForTcp("127.0.0.1", modbusPort, new ModbusMasterOptions { ResponseTimeout = TimeSpan.FromSeconds(3) });
        var before = await master.ReadInputRegistersAsync(2, 259, 3); // sc-2 circuit 1 currents

        var injected = await http.PostAsJsonAsync("devices/sc-2/faults", new { fault = "cable_cut", circuit = 1 });
        var after = await master.ReadInputRegistersAsync(2, 259, 3);

        Assert.Equal(HttpStatusCode.OK, injected.StatusCode);
        Assert.All(before, raw => Assert.True(raw > 150, $"{raw}"));
        Assert.All(after, raw => Assert.True(raw < 10, $"{raw}"));
        Assert.Equal("cable_cut", (string)(await http.GetFromJsonAsync<JsonObject>("devices/sc-2"))!["faults"]![0]!["fault"]!);

        Assert.Equal(HttpStatusCode.OK, (await http.DeleteAsync("devices/sc-2/faults/cable_cut")).StatusCode);
        Assert.All(await master.ReadInputRegistersAsync(2, 259, 3), raw => Assert.True(raw > 150, $"{raw}"));
    }

    [Fact]
    public async Task Invalid_requests_get_problem_details_naming_the_rule()
    {
        var wrongFamily = await http.PostAsJsonAsync("devices/box-1/faults", new { fault = "lamps_dark", count = 2 });
        var unknownFault = await http.PostAsJsonAsync("devices/box-1/faults", new { fault = "gremlins" });
        var refusedCommand = await http.PostAsJsonAsync("devices/ltc-1/commands", new { point = "on_time_min", circuit = 1, value = 5000 });

        Assert.Equal(HttpStatusCode.BadRequest, wrongFamily.StatusCode);
        Assert.Equal("application/problem+json", wrongFamily.Content.Headers.ContentType?.MediaType);
        Assert.Contains("does not apply", (string)(await wrongFamily.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, unknownFault.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, refusedCommand.StatusCode);
        Assert.Contains("OutOfRange", (string)(await refusedCommand.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_manual_clock_moves_only_when_told_and_commands_and_set_values_reach_the_registers()
    {
        await using var master = ModbusMaster.ForRtu(pty.A, 9600, ModbusParity.None, options: new ModbusMasterOptions { ResponseTimeout = TimeSpan.FromSeconds(2) });
        var started = (await http.PostAsJsonAsync("devices/eps-1/commands", new { point = "test_command", value = "start_duration_test" })).StatusCode;
        Assert.Equal(HttpStatusCode.OK, started);
        await Task.Delay(500);
        var elapsed = await master.ReadInputRegistersAsync(2, 3, 3);
        Assert.Equal([2, 0, 0], elapsed); // duration test, no simulated time has passed

        var advanced = (await (await http.PostAsJsonAsync("clock/advance", new { seconds = 600 })).Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(DateTimeOffset.Parse("2026-11-22T14:10:00Z", CultureInfo.InvariantCulture), (DateTimeOffset)advanced["now"]!);
        Assert.Equal("manual", (string)advanced["mode"]!);
        var running = await master.ReadInputRegistersAsync(2, 3, 3);
        Assert.Equal(2, running[0]);
        Assert.Equal(600, running[1] >> 8 | (running[1] & 0xFF) << 8); // test_elapsed_s, DCBA: low word first, bytes swapped

        var set = await http.PutAsJsonAsync("devices/mast-1/values/door_open", new { value = true });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.True((await master.ReadDiscreteInputsAsync(1, 1, 1))[0]);
        Assert.Equal(HttpStatusCode.OK, (await http.DeleteAsync("devices/mast-1/values/door_open")).StatusCode);
        Assert.False((await master.ReadDiscreteInputsAsync(1, 1, 1))[0]);
    }

    [Fact]
    public async Task Health_reports_the_simulation()
    {
        var health = (await http.GetFromJsonAsync<JsonObject>("healthz"))!;

        Assert.Equal("healthy", (string)health["status"]!);
        Assert.Equal(7, (int)health["simulation"]!["devices"]!);
        Assert.Equal("manual", (string)health["simulation"]!["clock"]!);
    }
}
