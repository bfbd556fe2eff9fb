using Telemetry.Devices.Sites;
using Telemetry.Simulator.Serving;

namespace Telemetry.Simulator.Tests.Serving;

public sealed class WireTimingTests
{
    private static readonly RtuLink Line = new() { Id = "bus", Device = "/dev/null", ConfiguredDevice = "/dev/null", BaudRate = 9600, Parity = SerialParity.None };

    [Fact]
    public void A_transaction_takes_its_frames_and_two_silences_at_the_baud_rate()
    {
        var (request, response) = WireTiming.ReadFrames(4, 13);

        Assert.Equal((8, 31), (request, response));
        Assert.Equal((8 + 31 + 7) * 10 / 9600.0, WireTiming.Transaction(request, response, Line).TotalSeconds, 6);
        Assert.Equal((8, 6), WireTiming.ReadFrames(1, 4));
        Assert.Equal(11 * 46 / 9600.0, WireTiming.Transaction(8, 31, Line with { Parity = SerialParity.Even }).TotalSeconds, 6);
    }

    [Fact]
    public void The_simulator_end_defaults_beside_the_gateway_end()
    {
        Assert.Equal("/x/.stack/pty/rs485-1-sim", SimulationOptions.DefaultSimulatorPath("/x/.stack/pty/rs485-1-gw"));
        Assert.Equal("/dev/ttyUSB0.sim", SimulationOptions.DefaultSimulatorPath("/dev/ttyUSB0"));
    }
}
