using Microsoft.Extensions.Time.Testing;
using Telemetry.Modbus;
using Telemetry.Simulator.Faults;
using Telemetry.Simulator.Serving;
using Telemetry.Testing;

namespace Telemetry.Simulator.Tests.Serving;

/// <summary>Our master and the Devices decoder against the simulator's RTU server through a socat pty pair, paced at 9600 baud.</summary>
public sealed class RtuServingTests : IAsyncLifetime
{
    private readonly FakeTimeProvider clock = TestPlant.Clock();
    private PseudoTerminalPair pty = null!;
    private Simulation simulation = null!;
    private ModbusMaster master = null!;

    public async Task InitializeAsync()
    {
        pty = await PseudoTerminalPair.StartAsync();
        try
        {
            simulation = TestPlant.Create(clock, new SimulationOptions
            {
                WireTiming = true,
                SerialPaths = new Dictionary<string, string> { ["rs485-1"] = pty.B },
                TcpEndpoints = new Dictionary<string, (string, int)> { ["tcp-1"] = ("127.0.0.1", 0) },
            });
            simulation.Start(CancellationToken.None);
            master = ModbusMaster.ForRtu(pty.A, 9600, ModbusParity.None, options: new ModbusMasterOptions { ResponseTimeout = TimeSpan.FromSeconds(2) });
        }
        catch
        {
            await pty.DisposeAsync(); // xunit does not call DisposeAsync when InitializeAsync fails
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        await master.DisposeAsync();
        await simulation.DisposeAsync();
        await pty.DisposeAsync();
    }

    [Theory]
    [InlineData("mast-1")]
    [InlineData("eps-1")]
    [InlineData("ltc-2")]
    public async Task The_gateway_reads_over_rtu_what_the_model_says(string device)
    {
        simulation.Inject("mast-1", new FaultDocument { Fault = "lamps_dark", Count = 5 });
        simulation.Run(clock, TimeSpan.FromMinutes(2));

        var reading = await ProfileReader.ReadAsync(master, TestPlant.Small.FindDevice(device)!);

        ProfileReader.AssertMatches(reading, simulation.Snapshot(device)!);
        if (device == "mast-1")
        {
            Assert.Equal(7, reading.Find("lamps_lit")!.Value.AsInteger);
        }
    }

    [Fact]
    public async Task A_duration_test_started_over_rtu_runs_and_passes_on_a_healthy_battery()
    {
        var refusedShortForm = await Assert.ThrowsAsync<ModbusExceptionResponse>(() => master.WriteSingleRegisterAsync(2, 32, 2));
        Assert.Equal(ModbusExceptionCode.IllegalFunction, refusedShortForm.Code); // the profile: "Only accepts function 16"

        await master.WriteMultipleRegistersAsync(2, 32, [2]);
        Assert.Equal([0], await master.ReadHoldingRegistersAsync(2, 32, 1)); // write-only command register
        await Eventually.TrueAsync(async () => (await master.ReadInputRegistersAsync(2, 3, 1))[0] == 2, "test_state says duration test");

        simulation.Run(clock, TimeSpan.FromMinutes(95), TimeSpan.FromMinutes(1));

        var state = await master.ReadInputRegistersAsync(2, 3, 6);
        Assert.Equal(0, state[0]); // idle
        Assert.Equal(1, state[3]); // last_test_result passed
    }

    [Fact]
    public async Task A_silent_unit_times_out_and_an_unknown_unit_never_answers()
    {
        simulation.Inject("ltc-2", new FaultDocument { Fault = "silent" });
        await using var impatient = ModbusMaster.ForRtu(pty.A, 9600, ModbusParity.None, options: new ModbusMasterOptions { ResponseTimeout = TimeSpan.FromMilliseconds(300) });

        await Assert.ThrowsAsync<ModbusTimeoutException>(() => impatient.ReadHoldingRegistersAsync(3, 0, 7));
        await Assert.ThrowsAsync<ModbusTimeoutException>(() => impatient.ReadHoldingRegistersAsync(99, 0, 1));
        Assert.Equal(12, (await impatient.ReadHoldingRegistersAsync(1, 256, 1))[0]); // the bus still works
    }

    [Fact]
    public async Task Lift_commands_are_refused_without_the_maintenance_key()
    {
        var refused = await Assert.ThrowsAsync<ModbusExceptionResponse>(() => master.WriteSingleCoilAsync(1, 2, true));
        Assert.Equal(ModbusExceptionCode.IllegalDataValue, refused.Code);

        simulation.Inject("mast-1", new FaultDocument { Fault = "maintenance_key" });
        await master.WriteSingleCoilAsync(1, 2, true); // lower the ring

        // The reply can leave before the plant has taken the command: run the clock only once the motor runs.
        await Eventually.TrueAsync(async () => (await master.ReadInputRegistersAsync(1, 8, 1))[0] == 2, "the lift motor lowers the ring");
        simulation.Run(clock, TimeSpan.FromSeconds(30));
        Assert.Equal([2, 0], await master.ReadInputRegistersAsync(1, 8, 2)); // lowering, between the limits
        simulation.Run(clock, TimeSpan.FromSeconds(120));
        Assert.Equal([0, 2], await master.ReadInputRegistersAsync(1, 8, 2)); // stopped at the bottom
    }
}
