using Microsoft.Extensions.Time.Testing;
using Telemetry.Modbus;
using Telemetry.Simulator.Faults;
using Telemetry.Simulator.Serving;

namespace Telemetry.Simulator.Tests.Serving;

/// <summary>Our master and the Devices decoder against the simulator over real TCP sockets.</summary>
public sealed class TcpServingTests : IAsyncLifetime
{
    private static readonly ModbusMasterOptions Patient = new() { ResponseTimeout = TimeSpan.FromSeconds(3) };
    private readonly FakeTimeProvider clock = TestPlant.Clock();
    private Simulation simulation = null!;
    private ModbusMaster master = null!;

    public Task InitializeAsync()
    {
        simulation = TestPlant.Create(clock, new SimulationOptions
        {
            WireTiming = false,
            Links = new HashSet<string> { "tcp-1" },
            TcpEndpoints = new Dictionary<string, (string, int)> { ["tcp-1"] = ("127.0.0.1", 0) },
        });
        simulation.Start(CancellationToken.None);
        master = ModbusMaster.ForTcp("127.0.0.1", simulation.TcpPort("tcp-1"), Patient);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await master.DisposeAsync();
        await simulation.DisposeAsync();
    }

    [Theory]
    [InlineData("sc-1")]
    [InlineData("sc-2")]
    [InlineData("box-1")]
    [InlineData("ltc-1")]
    public async Task The_gateway_reads_over_tcp_what_the_model_says(string device)
    {
        simulation.Inject("sc-2", new FaultDocument { Fault = "lamps_dark", Circuit = 3, Count = 2 });
        simulation.Run(clock, TimeSpan.FromMinutes(5));

        var reading = await ProfileReader.ReadAsync(master, TestPlant.Small.FindDevice(device)!);

        ProfileReader.AssertMatches(reading, simulation.Snapshot(device)!);
    }

    [Fact]
    public async Task A_silent_device_times_out_while_its_neighbours_answer()
    {
        simulation.Inject("box-1", new FaultDocument { Fault = "silent" });
        await using var impatient = ModbusMaster.ForTcp("127.0.0.1", simulation.TcpPort("tcp-1"), new ModbusMasterOptions { ResponseTimeout = TimeSpan.FromMilliseconds(300) });

        await Assert.ThrowsAsync<ModbusTimeoutException>(() => impatient.ReadInputRegistersAsync(3, 32, 4));
        Assert.Equal(8, (await master.ReadInputRegistersAsync(2, 256, 13))[11]); // sc-2 circuit 1: 8 lamps installed

        simulation.Clear("box-1", FaultKind.Silent);
        Assert.Equal(4, (await master.ReadInputRegistersAsync(3, 32, 4)).Length);
    }

    [Fact]
    public async Task An_injected_exception_code_comes_back_typed()
    {
        simulation.Inject("sc-1", new FaultDocument { Fault = "exception", Code = 6 });

        var refused = await Assert.ThrowsAsync<ModbusExceptionResponse>(() => master.ReadHoldingRegistersAsync(1, 16, 1));

        Assert.Equal(ModbusExceptionCode.ServerDeviceBusy, refused.Code);
    }

    [Fact]
    public async Task A_slow_device_answers_late_but_answers()
    {
        simulation.Inject("sc-1", new FaultDocument { Fault = "slow", DelayMs = 200 });

        var registers = await master.ReadHoldingRegistersAsync(1, 16, 1);

        Assert.Single(registers);
    }

    [Fact]
    public async Task Writes_to_read_only_or_absent_registers_and_values_outside_the_profile_are_refused()
    {
        var readOnly = await Assert.ThrowsAsync<ModbusExceptionResponse>(() => master.WriteSingleRegisterAsync(1, 4114, 99)); // hg-lcu2 lamps_installed
        var absent = await Assert.ThrowsAsync<ModbusExceptionResponse>(() => master.WriteSingleRegisterAsync(1, 30, 1));
        var tooLate = await Assert.ThrowsAsync<ModbusExceptionResponse>(() => master.WriteSingleRegisterAsync(4, 17, 2000)); // sk-ltc4 on_time_min 0..1439
        var notALabel = await Assert.ThrowsAsync<ModbusExceptionResponse>(() => master.WriteSingleRegisterAsync(1, 4128, 7)); // circuit_command 0/1/2
        var halfAPoint = await Assert.ThrowsAsync<ModbusExceptionResponse>(() => master.WriteSingleRegisterAsync(4, 0, 1)); // half of clock_unix_s
        var outsideBlocks = await Assert.ThrowsAsync<ModbusExceptionResponse>(() => master.ReadInputRegistersAsync(2, 11, 2));

        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, readOnly.Code);
        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, absent.Code);
        Assert.Equal(ModbusExceptionCode.IllegalDataValue, tooLate.Code);
        Assert.Equal(ModbusExceptionCode.IllegalDataValue, notALabel.Code);
        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, halfAPoint.Code);
        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, outsideBlocks.Code);
        Assert.Equal(20, (await master.ReadHoldingRegistersAsync(1, 4114, 1))[0]);
    }

    [Fact]
    public async Task Switching_a_circuit_off_opens_its_contactor_and_resuming_the_schedule_closes_it()
    {
        await master.WriteSingleCoilAsync(2, 1, false); // mg-slc4 commanded_on of circuit 2

        Assert.Equal(new[] { true, false, true, true }, await master.ReadCoilsAsync(2, 0, 4));
        Assert.Equal(new[] { true, false }, await master.ReadDiscreteInputsAsync(2, 8, 2)); // contactor_closed
        var currents = await master.ReadInputRegistersAsync(2, 288 + 3, 3);
        Assert.All(currents, raw => Assert.InRange(raw, 0, 10)); // < 0.1 A

        await master.WriteSingleCoilAsync(2, 16, true); // resume_schedule, self-resetting
        Assert.Equal(new[] { true, true, true, true }, await master.ReadCoilsAsync(2, 0, 4));
        Assert.False((await master.ReadCoilsAsync(2, 16, 1))[0]);
        Assert.True(simulation.Flag("sc-2", "contactor_closed", 2));
    }

    [Fact]
    public async Task A_written_setting_reads_back_and_changes_the_behaviour()
    {
        await master.WriteMultipleRegistersAsync(4, 16, [1, 600, 660]); // sk-ltc4 output 1: time mode, 10:00-11:00

        Assert.Equal([1, 600, 660], await master.ReadHoldingRegistersAsync(4, 16, 3));
        simulation.Run(clock, TimeSpan.FromSeconds(1));
        Assert.False(simulation.Flag("ltc-1", "output_on", 1)); // 22:00 is outside the window
        Assert.Equal(1, simulation.Value("ltc-1", "schedule_mode", 1).AsInteger);
    }
}
