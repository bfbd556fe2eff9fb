using Telemetry.Devices.Profiles;
using Telemetry.Modbus;
using Telemetry.Simulator.Serving;

namespace Telemetry.Simulator.Tests.Serving;

public sealed class AddressPlanTests
{
    private static readonly AddressPlan Cabinet = new(TestPlant.Profiles["mg-slc4"]);

    [Fact]
    public void Reads_inside_blocks_of_points_and_gaps_the_profile_tolerates_are_answered()
    {
        Assert.Null(Cabinet.CheckRead(RegisterTable.Input, 0, 11)); // 0-3 string, gap 4-7 (max gap 4), 8-10
        Assert.Null(Cabinet.CheckRead(RegisterTable.Input, 256, 13));
        Assert.Null(Cabinet.CheckRead(RegisterTable.Coil, 0, 4));
    }

    [Fact]
    public void Reads_of_addresses_between_blocks_or_beyond_the_per_read_limit_are_refused()
    {
        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, Cabinet.CheckRead(RegisterTable.Input, 11, 1)); // "refuses addresses between the device block and the circuit blocks"
        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, Cabinet.CheckRead(RegisterTable.Input, 0, 64));
        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, Cabinet.CheckRead(RegisterTable.Holding, 0, 1));
        Assert.Equal(ModbusExceptionCode.IllegalDataValue, Cabinet.CheckRead(RegisterTable.Input, 256, 65));
    }

    [Fact]
    public void Every_plan_of_every_profile_is_answered()
    {
        foreach (var profile in TestPlant.Profiles)
        {
            var plan = new AddressPlan(profile);
            foreach (var request in Devices.Planning.PollPlan.For(profile).Requests)
            {
                Assert.True(plan.CheckRead(request.Table, request.Start, request.Count) is null, $"{profile.Model}: {request}");
            }
        }
    }
}
