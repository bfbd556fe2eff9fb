using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using Telemetry.Testing;

namespace Telemetry.Modbus.Tests;

/// <summary>Peers written by others: mbpoll (a libmodbus master) reads our servers; our master reads pymodbus servers.</summary>
public sealed partial class InteropTests
{
    private static readonly TimeSpan PeerTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Mbpoll_reads_every_table_of_our_tcp_server()
    {
        using var map = new ModbusRegisterMap(20, 20, 200, 200);
        map.SetRegisters(ModbusTable.HoldingRegisters, 100, [1, 250, 65535, 0, 42]);
        map.SetRegisters(ModbusTable.InputRegisters, 7, [230, 231]);
        map.SetBits(ModbusTable.Coils, 3, [true, false, true]);
        map.SetBits(ModbusTable.DiscreteInputs, 0, [false, true]);
        await using var server = new ModbusTcpServer("127.0.0.1", 0);
        server.AddUnit(1, map);
        server.Start();

        Assert.Equal(new Dictionary<int, int> { [100] = 1, [101] = 250, [102] = 65535, [103] = 0, [104] = 42 }, await MbpollTcpAsync(server.Port, "4", 100, 5));
        Assert.Equal(new Dictionary<int, int> { [7] = 230, [8] = 231 }, await MbpollTcpAsync(server.Port, "3", 7, 2));
        Assert.Equal(new Dictionary<int, int> { [3] = 1, [4] = 0, [5] = 1 }, await MbpollTcpAsync(server.Port, "0", 3, 3));
        Assert.Equal(new Dictionary<int, int> { [0] = 0, [1] = 1 }, await MbpollTcpAsync(server.Port, "1", 0, 2));
    }

    [Fact]
    public async Task Mbpoll_writes_reach_our_tcp_server()
    {
        using var map = new ModbusRegisterMap(20, 0, 20, 0);
        await using var server = new ModbusTcpServer("127.0.0.1", 0);
        server.AddUnit(1, map);
        var writes = new ConcurrentQueue<ModbusWrite>();
        server.WriteApplied += (_, e) => writes.Enqueue(e.Write);
        server.Start();

        await RunMbpollAsync(["-m", "tcp", "-p", Port(server.Port), "-a", "1", "-0", "-r", "5", "-t", "4", "-1", "127.0.0.1", "11", "22", "33"]);
        Assert.Equal([11, 22, 33], map.GetRegisters(ModbusTable.HoldingRegisters, 5, 3));

        // WriteApplied is raised after the answer has gone out, so possibly after mbpoll has already exited.
        await Eventually.TrueAsync(() => Task.FromResult(!writes.IsEmpty), "the write is reported");
        var write = Assert.Single(writes);
        Assert.Equal((ModbusTable.HoldingRegisters, 5), (write.Table, write.Address));
        Assert.Equal([11, 22, 33], write.RegisterValues);
    }

    [Fact]
    public async Task Mbpoll_sees_the_exception_our_hook_chose()
    {
        using var map = new ModbusRegisterMap(4, 4, 4, 4);
        await using var server = new ModbusTcpServer("127.0.0.1", 0);
        server.AddUnit(1, map);
        server.RequestHook = _ => ModbusResponse.Reject(ModbusExceptionCode.ServerDeviceBusy);
        server.Start();
        var result = await ExternalCommand.RunAsync("mbpoll", ["-m", "tcp", "-p", Port(server.Port), "-a", "1", "-0", "-r", "0", "-t", "4", "-1", "127.0.0.1"], PeerTimeout);
        Assert.Contains("busy", result.StandardOutput + result.StandardError, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Mbpoll_reads_our_rtu_server_through_a_pty_pair()
    {
        await using var pty = await PseudoTerminalPair.StartAsync();
        using var map = new ModbusRegisterMap(8, 8, 16, 16);
        map.SetRegisters(ModbusTable.HoldingRegisters, 2, [1111, 2222]);
        map.SetRegisters(ModbusTable.InputRegisters, 0, [9]);
        map.SetBits(ModbusTable.Coils, 0, [false, true]);
        await using var server = new ModbusRtuServer(pty.B, 9600, ModbusParity.None);
        server.AddUnit(12, map);
        server.Start();

        string[] serial = ["-m", "rtu", "-b", "9600", "-P", "none", "-d", "8", "-s", "1", "-a", "12", "-0", "-1", "-o", "2"];
        Assert.Equal(new Dictionary<int, int> { [2] = 1111, [3] = 2222 }, Values(await RunMbpollAsync([.. serial, "-t", "4", "-r", "2", "-c", "2", pty.A])));
        Assert.Equal(new Dictionary<int, int> { [0] = 9 }, Values(await RunMbpollAsync([.. serial, "-t", "3", "-r", "0", "-c", "1", pty.A])));
        Assert.Equal(new Dictionary<int, int> { [0] = 0, [1] = 1 }, Values(await RunMbpollAsync([.. serial, "-t", "0", "-r", "0", "-c", "2", pty.A])));
        await RunMbpollAsync([.. serial, "-t", "4", "-r", "5", pty.A, "77"]);
        Assert.Equal(77, map.GetHoldingRegister(5));
    }

    [Fact]
    public async Task Our_master_reads_a_pymodbus_tcp_server()
    {
        var port = FreePort.Next();
        await using var peer = ExternalCommand.Start("/usr/bin/python3",
        [
            PeerScript, "tcp", "--port", Port(port), "--unit", "1", "--unit", "4",
            "--holding", "100=1,2,65535,40000", "--input", "3=230,231", "--coils", "10=1,0,1,1", "--discrete", "0=0,1",
        ]);
        await UntilLoadedAsync(peer);
        await FreePort.WaitUntilListeningAsync(port, PeerTimeout, () => !peer.HasExited);

        await using var master = ModbusMaster.ForTcp("127.0.0.1", port, new ModbusMasterOptions { ResponseTimeout = TimeSpan.FromSeconds(5) });
        Assert.Equal([1, 2, 65535, 40000], await master.ReadHoldingRegistersAsync(1, 100, 4));
        Assert.Equal([230, 231], await master.ReadInputRegistersAsync(1, 3, 2));
        Assert.Equal(new[] { true, false, true, true }, await master.ReadCoilsAsync(1, 10, 4));
        Assert.Equal(new[] { false, true }, await master.ReadDiscreteInputsAsync(1, 0, 2));
        Assert.Equal([1, 2], await master.ReadHoldingRegistersAsync(4, 100, 2));

        await master.WriteMultipleRegistersAsync(1, 200, [7, 8, 9]);
        await master.WriteSingleCoilAsync(1, 11, true);
        Assert.Equal([7, 8, 9], await master.ReadHoldingRegistersAsync(1, 200, 3));
        Assert.Equal(new[] { true, true }, await master.ReadCoilsAsync(1, 10, 2));
    }

    [Fact]
    public async Task Our_master_reads_a_pymodbus_rtu_server_through_a_pty_pair()
    {
        await using var pty = await PseudoTerminalPair.StartAsync();
        await using var peer = ExternalCommand.Start("/usr/bin/python3",
        [
            PeerScript, "rtu", "--device", pty.B, "--baud", "9600", "--parity", "N", "--unit", "3",
            "--holding", "0=10,20,30", "--input", "5=555",
        ]);
        await UntilLoadedAsync(peer);
        await using var master = ModbusMaster.ForRtu(pty.A, 9600, ModbusParity.None, options: new ModbusMasterOptions { ResponseTimeout = TimeSpan.FromSeconds(1) });

        // The peer opens its port a moment after starting: poll until it answers.
        var holding = await Eventually.ValueAsync(() => master.ReadHoldingRegistersAsync(3, 0, 3), values => values.Length == 3, "pymodbus answers on the pty", PeerTimeout);
        Assert.Equal([10, 20, 30], holding);
        Assert.Equal([555], await master.ReadInputRegistersAsync(3, 5, 1));
        await master.WriteSingleRegisterAsync(3, 1, 21);
        Assert.Equal([10, 21, 30], await master.ReadHoldingRegistersAsync(3, 0, 3));
    }

    /// <summary>Waits for the peer to say its values are loaded; one that cannot start (a Python module missing) fails here with its own words.</summary>
    private static Task UntilLoadedAsync(RunningCommand peer) => peer.WaitForOutputAsync(output => output.Contains("READY", StringComparison.Ordinal), PeerTimeout);

    private static string PeerScript => Path.Combine(AppContext.BaseDirectory, "Peers", "pymodbus_server.py");

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static async Task<Dictionary<int, int>> MbpollTcpAsync(int port, string type, int reference, int count) =>
        Values(await RunMbpollAsync(["-m", "tcp", "-p", Port(port), "-a", "1", "-0", "-t", type, "-r", Port(reference), "-c", Port(count), "-1", "127.0.0.1"]));

    private static async Task<string> RunMbpollAsync(string[] arguments)
    {
        var result = await ExternalCommand.RunAsync("mbpoll", arguments, PeerTimeout);
        return result.EnsureSuccess($"mbpoll {string.Join(' ', arguments)}").StandardOutput;
    }

    /// <summary>mbpoll prints one "[reference]: value" line per value, with the signed reading in brackets above 32767.</summary>
    private static Dictionary<int, int> Values(string output) =>
        MbpollLine().Matches(output).ToDictionary(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), m => int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^\[(\d+)\]:\s+(-?\d+)(?:\s+\(-?\d+\))?\s*$", RegexOptions.Multiline)]
    private static partial Regex MbpollLine();
}
