namespace Telemetry.Modbus.Tests;

/// <summary>One TCP server shared by a test class: unit 1 covers every table from address 0, unit 2 starts at 1000.</summary>
public sealed class TcpServerFixture : IAsyncLifetime
{
    public ModbusRegisterMap Unit1 { get; } = new(coils: 200, discreteInputs: 200, holdingRegisters: 300, inputRegisters: 300);

    public ModbusRegisterMap Unit2 { get; } = new(
        new ModbusAddressRange(1000, 50), new ModbusAddressRange(1000, 50), new ModbusAddressRange(1000, 50), new ModbusAddressRange(1000, 50));

    public ModbusTcpServer Server { get; } = new("127.0.0.1", 0);

    public ModbusMaster NewMaster(ModbusMasterOptions? options = null) =>
        ModbusMaster.ForTcp("127.0.0.1", Server.Port, options ?? new ModbusMasterOptions { ResponseTimeout = TimeSpan.FromSeconds(5) });

    public Task InitializeAsync()
    {
        Server.AddUnit(1, Unit1);
        Server.AddUnit(2, Unit2);
        Server.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Unit1.Dispose();
        Unit2.Dispose();
    }
}
