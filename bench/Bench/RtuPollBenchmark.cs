using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Telemetry.Devices.Planning;
using Telemetry.Devices.Profiles;
using Telemetry.Devices.Sites;
using Telemetry.Modbus;
using Telemetry.Simulator.Serving;
using Telemetry.Testing;

namespace Telemetry.Bench;

/// <summary>
/// One RS-485 bus at 9600 baud 8N1 with 30 simulated devices (every RTU model, hardware/sites/bench-rtu.json)
/// over a socat pty pair: each cycle polls every device once with the PollPlanner's requests through our RTU
/// master. The cycle time is compared with the wire-time lower bound of the same requests, and the number of
/// requests with one request per point and with the contiguous blocks left after gap filling.
/// </summary>
/// <remarks>
/// A socat pty pair moves bytes as fast as the kernel copies them, not at 9600 baud, so a master polling
/// through it would beat any real bus and the comparison would mean nothing. The simulator's RTU server
/// therefore waits, before each answer, for the time request and answer would take on the wire at the link's
/// baud rate, with the 3.5-character silence after each frame (<see cref="WireTiming"/>): exactly the bound
/// computed here. What the measured cycle adds above the bound is the master's and the planner's own cost
/// (turnaround, scheduling, decoding, bytes they would waste) - the honest figure for "do we use the bus well".
/// </remarks>
internal static class RtuPollBenchmark
{
    public static async Task RunAsync(int cycles)
    {
        var profiles = ProfileLoader.LoadDirectory(Path.Combine(RepositoryPaths.Hardware, "profiles"));
        var site = SiteLoader.LoadFile(Path.Combine(RepositoryPaths.Hardware, "sites", "bench-rtu.json"), profiles);
        var bus = site.Gateways[0].Links.OfType<RtuLink>().Single();
        var devices = site.Devices.ToList();
        Console.WriteLine($"Modbus RTU poll cycle: {devices.Count} devices on one {bus.BaudRate} baud {bus.DataBits}{bus.Parity.ToString()[0]}{bus.StopBits} bus (socat pty, answers paced at the wire's speed), median of {cycles} cycles");

        await using var pty = await PseudoTerminalPair.StartAsync();
        await using var simulation = new Simulation(
            site,
            new SimulationOptions { WireTiming = true, SerialPaths = new Dictionary<string, string> { [bus.Id] = pty.B } },
            TimeProvider.System,
            NullLogger<Simulation>.Instance);
        simulation.Start(CancellationToken.None);
        await using var master = ModbusMaster.ForRtu(pty.A, bus.BaudRate, ModbusParity.None, bus.DataBits, bus.StopBits, new ModbusMasterOptions { ResponseTimeout = TimeSpan.FromSeconds(1) });

        var plans = devices.Select(d => (Device: d, Requests: PollPlan.For(d.Profile).Requests)).ToList();
        var requests = plans.Sum(p => p.Requests.Count);
        var points = devices.Sum(d => d.Profile.Points.Count);
        var blocks = devices.Sum(d => ContiguousBlocks(d.Profile));
        var wireBound = plans.SelectMany(p => p.Requests).Sum(r => WireSeconds(r, bus));

        await CycleAsync(master, plans); // opens the port, warms up
        var times = new List<double>();
        for (var cycle = 0; cycle < cycles; cycle++)
        {
            var started = Stopwatch.GetTimestamp();
            await CycleAsync(master, plans);
            times.Add(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }

        var median = Figures.Median(times);
        Figures.Value("poll cycle, median", median * 1000, "ms");
        Figures.Value("wire-time bound of the cycle's frames", wireBound * 1000, "ms");
        Figures.Ratio("cycle / wire bound", median / wireBound, 1.3, higherIsBetter: false);
        Figures.Value("requests per cycle (PollPlanner)", requests, "");
        Figures.Value("points (one request per point)", points, "");
        Figures.Value("contiguous blocks after gap filling", blocks, "");
        Figures.Ratio(string.Create(CultureInfo.InvariantCulture, $"requests / points (target: blocks / points)"), (double)requests / points, (double)blocks / points, higherIsBetter: false);
        if (simulation.ServerErrors > 0)
        {
            Console.WriteLine($"  the simulator reported {simulation.ServerErrors} server error(s)");
        }
    }

    private static async Task CycleAsync(ModbusMaster master, List<(SiteDevice Device, IReadOnlyList<ReadRequest> Requests)> plans)
    {
        foreach (var (device, requests) in plans)
        {
            foreach (var request in requests)
            {
                switch (request.Table)
                {
                    case RegisterTable.Coil:
                        await master.ReadCoilsAsync(device.UnitId, request.Start, request.Count);
                        break;
                    case RegisterTable.DiscreteInput:
                        await master.ReadDiscreteInputsAsync(device.UnitId, request.Start, request.Count);
                        break;
                    case RegisterTable.Holding:
                        await master.ReadHoldingRegistersAsync(device.UnitId, request.Start, request.Count);
                        break;
                    default:
                        await master.ReadInputRegistersAsync(device.UnitId, request.Start, request.Count);
                        break;
                }
            }
        }
    }

    /// <summary>Request and response frames on the wire, each followed by a 3.5-character silence: (bytes + 7) × bits per character / baud.</summary>
    private static double WireSeconds(ReadRequest request, RtuLink bus)
    {
        var (requestBytes, responseBytes) = WireTiming.ReadFrames(request.FunctionCode, request.Count);
        return (requestBytes + responseBytes + 3.5 + 3.5) * bus.BitsPerCharacter / bus.BaudRate;
    }

    /// <summary>Runs of points per table once gaps up to the profile's limit are filled (no length limit): the fewest reads gap filling allows.</summary>
    private static int ContiguousBlocks(DeviceProfile profile)
    {
        var blocks = 0;
        foreach (var table in profile.Points.GroupBy(p => p.Table))
        {
            int? end = null;
            foreach (var point in table.OrderBy(p => p.Address))
            {
                if (end is null || point.Address - end > profile.Limits.MaxGap(table.Key))
                {
                    blocks++;
                }

                end = Math.Max(end ?? 0, point.End);
            }
        }

        return blocks;
    }
}
