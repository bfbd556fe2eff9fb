using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using Telemetry.Simulator.Serving;
using Telemetry.Testing;

namespace Telemetry.Simulator.Tests.Interop;

/// <summary>mbpoll, a Modbus master nobody here wrote, reads the simulator over TCP and over RTU and gets what the profiles and physics say.</summary>
public sealed partial class MbpollTests : IAsyncLifetime
{
    private static readonly TimeSpan PeerTimeout = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider clock = TestPlant.Clock();
    private PseudoTerminalPair pty = null!;
    private Simulation simulation = null!;

    public async Task InitializeAsync()
    {
        pty = await PseudoTerminalPair.StartAsync();
        try
        {
            simulation = TestPlant.Create(clock, new SimulationOptions
            {
                SerialPaths = new Dictionary<string, string> { ["rs485-1"] = pty.B },
                TcpEndpoints = new Dictionary<string, (string, int)> { ["tcp-1"] = ("127.0.0.1", 0) },
            });
            simulation.Start(CancellationToken.None);
        }
        catch
        {
            await pty.DisposeAsync(); // xunit does not call DisposeAsync when InitializeAsync fails
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        await simulation.DisposeAsync();
        await pty.DisposeAsync();
    }

    [Fact]
    public async Task Mbpoll_reads_a_street_controller_circuit_over_tcp()
    {
        var port = simulation.TcpPort("tcp-1").ToString(CultureInfo.InvariantCulture);

        // mg-slc4 (unit 2), circuit 1: input registers 256-268, 16-bit.
        var registers = Values(await MbpollAsync(["-m", "tcp", "-p", port, "-a", "2", "-0", "-t", "3", "-r", "256", "-c", "13", "-1", "-o", "5", "127.0.0.1"]));

        Assert.Equal(13, registers.Count);
        Assert.InRange(registers[256], Raw(simulation.Number("sc-2", "voltage_l1_v", 1), 0.1) - 1, Raw(simulation.Number("sc-2", "voltage_l1_v", 1), 0.1) + 1);
        Assert.InRange(registers[259], Raw(simulation.Number("sc-2", "current_l1_a", 1), 0.01) - 1, Raw(simulation.Number("sc-2", "current_l1_a", 1), 0.01) + 1);
        Assert.Equal(8, registers[267]); // lamps_installed
        Assert.Equal(8, registers[268]); // lamps_lit at night

        // hg-lcu2 (unit 1), circuit 1 voltages: big-endian floats in holding registers 4098-4103.
        var floats = FloatValues(await MbpollAsync(["-m", "tcp", "-p", port, "-a", "1", "-0", "-t", "4:float", "-B", "-r", "4098", "-c", "3", "-1", "-o", "5", "127.0.0.1"]));
        Assert.Equal(3, floats.Count);
        Assert.Equal(simulation.Number("sc-1", "voltage_l1_v", 1), floats[4098], 3);
        Assert.Equal(simulation.Number("sc-1", "voltage_l3_v", 1), floats[4102], 3);
    }

    [Fact]
    public async Task Mbpoll_reads_a_high_mast_over_rtu_through_the_pty()
    {
        simulation.Inject("mast-1", new Faults.FaultDocument { Fault = "lamps_dark", Count = 5 });
        string[] serial = ["-m", "rtu", "-b", "9600", "-P", "none", "-d", "8", "-s", "1", "-a", "1", "-0", "-1", "-o", "2"];

        var inputs = Values(await MbpollAsync([.. serial, "-t", "3", "-r", "0", "-c", "12", pty.A]));
        var installed = Values(await MbpollAsync([.. serial, "-t", "4", "-r", "256", "-c", "1", pty.A]));

        // lamp_status: u32 low word first, one bit per lamp; 12 fitted, 5 dark.
        var bits = (uint)inputs[0] | ((uint)inputs[1] << 16);
        Assert.Equal(7, System.Numerics.BitOperations.PopCount(bits));
        Assert.Equal(0u, bits & ~0xFFFu);
        Assert.Equal(Enumerable.Range(1, 12).Select(n => simulation.Flag("mast-1", $"lamp_{n}_lit")), Enumerable.Range(0, 12).Select(i => (bits >> i & 1) == 1));
        Assert.InRange(inputs[2], Raw(simulation.Number("mast-1", "voltage_v"), 0.1) - 1, Raw(simulation.Number("mast-1", "voltage_v"), 0.1) + 1);
        Assert.InRange(inputs[3], Raw(simulation.Number("mast-1", "current_a"), 0.01) - 1, Raw(simulation.Number("mast-1", "current_a"), 0.01) + 1);
        Assert.Equal(1, inputs[9]); // lift at the top
        Assert.Equal(12, installed[256]);
    }

    [Fact]
    public async Task Mbpoll_reads_the_calendar_clock_of_a_time_switch_over_rtu()
    {
        string[] serial = ["-m", "rtu", "-b", "9600", "-P", "none", "-a", "3", "-0", "-1", "-o", "2"];

        var clockRegisters = Values(await MbpollAsync([.. serial, "-t", "4", "-r", "0", "-c", "7", pty.A]));

        Assert.Equal((2026, 11, 22, 0), (clockRegisters[0], clockRegisters[1], clockRegisters[2], clockRegisters[6])); // a Sunday
        var secondOfDay = (clockRegisters[3] * 3600) + (clockRegisters[4] * 60) + clockRegisters[5];
        Assert.InRange(secondOfDay, (22 * 3600) - 5, (22 * 3600) + 5); // 22:00 local, give or take the controller's few seconds
        Assert.Equal(secondOfDay, simulation.Value("ltc-2", "clock_hour").AsInteger * 3600 + simulation.Value("ltc-2", "clock_minute").AsInteger * 60 + simulation.Value("ltc-2", "clock_second").AsInteger);
    }

    private static int Raw(double value, double scale) => (int)Math.Round(value / scale, MidpointRounding.AwayFromZero);

    private static async Task<string> MbpollAsync(string[] arguments)
    {
        var result = await ExternalCommand.RunAsync("mbpoll", arguments, PeerTimeout);
        return result.EnsureSuccess($"mbpoll {string.Join(' ', arguments)}").StandardOutput;
    }

    /// <summary>mbpoll prints one "[reference]: value" line per value (the signed reading in brackets above 32767).</summary>
    private static Dictionary<int, int> Values(string output) =>
        MbpollLine().Matches(output).ToDictionary(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), m => int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));

    private static Dictionary<int, double> FloatValues(string output) =>
        MbpollFloat().Matches(output).ToDictionary(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), m => double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^\[(\d+)\]:\s+(-?\d+)(?:\s+\(-?\d+\))?\s*$", RegexOptions.Multiline)]
    private static partial Regex MbpollLine();

    [GeneratedRegex(@"^\[(\d+)\]:\s+(-?[\d.]+(?:e[-+]?\d+)?)\s*$", RegexOptions.Multiline)]
    private static partial Regex MbpollFloat();
}
