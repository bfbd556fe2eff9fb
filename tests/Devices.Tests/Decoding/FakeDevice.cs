using Telemetry.Devices.Decoding;
using Telemetry.Devices.Planning;
using Telemetry.Devices.Profiles;

namespace Telemetry.Devices.Tests.Decoding;

/// <summary>A device's memory in a dictionary: answers reads and takes writes as a Modbus server would.</summary>
internal sealed class FakeDevice
{
    public Dictionary<(RegisterTable Table, int Address), ushort> Registers { get; } = [];

    public Dictionary<(RegisterTable Table, int Address), bool> Bits { get; } = [];

    public void SetRegisters(RegisterTable table, int start, ushort[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            Registers[(table, start + i)] = values[i];
        }
    }

    public IEnumerable<BlockResult> Poll(PollPlan plan) => plan.Requests.Select(Read);

    public BlockResult Read(ReadRequest request) => request.Table.HoldsBits()
        ? BlockResult.FromBits(request, [.. Enumerable.Range(request.Start, request.Count).Select(a => Bits.GetValueOrDefault((request.Table, a)))])
        : BlockResult.FromRegisters(request, [.. Enumerable.Range(request.Start, request.Count).Select(a => Registers.GetValueOrDefault((request.Table, a)))]);

    public void Write(WriteRequest write)
    {
        for (var i = 0; i < write.Registers.Count; i++)
        {
            Registers[(write.Table, write.Address + i)] = write.Registers[i];
        }

        for (var i = 0; i < write.Bits.Count; i++)
        {
            Bits[(write.Table, write.Address + i)] = write.Bits[i];
        }
    }
}
