namespace Telemetry.Modbus;

/// <summary>Modbus function codes (<c>MODBUS_FC_*</c> in <c>modbus.h</c>). Requests may carry others.</summary>
public enum ModbusFunctionCode
{
    /// <summary>0x01.</summary>
    ReadCoils = 0x01,

    /// <summary>0x02.</summary>
    ReadDiscreteInputs = 0x02,

    /// <summary>0x03.</summary>
    ReadHoldingRegisters = 0x03,

    /// <summary>0x04.</summary>
    ReadInputRegisters = 0x04,

    /// <summary>0x05.</summary>
    WriteSingleCoil = 0x05,

    /// <summary>0x06.</summary>
    WriteSingleRegister = 0x06,

    /// <summary>0x07 (libmodbus answers it with IllegalFunction).</summary>
    ReadExceptionStatus = 0x07,

    /// <summary>0x0F.</summary>
    WriteMultipleCoils = 0x0F,

    /// <summary>0x10.</summary>
    WriteMultipleRegisters = 0x10,

    /// <summary>0x11 (libmodbus answers with its own id and version).</summary>
    ReportServerId = 0x11,

    /// <summary>0x16.</summary>
    MaskWriteRegister = 0x16,

    /// <summary>0x17.</summary>
    WriteAndReadRegisters = 0x17,
}

/// <summary>
/// A write to a unit's tables: announced to <see cref="ModbusServer.RequestHook"/> before it is applied
/// (in <see cref="ModbusRequest.Write"/>), and reported by <see cref="ModbusServer.WriteApplied"/> after.
/// </summary>
public sealed class ModbusWrite
{
    internal ModbusWrite(int unitId, ModbusFunctionCode function, ModbusTable table, int address, IReadOnlyList<bool> coils, IReadOnlyList<ushort> registers)
    {
        UnitId = unitId;
        Function = function;
        Table = table;
        Address = address;
        CoilValues = coils;
        RegisterValues = registers;
    }

    /// <summary>The unit written to.</summary>
    public int UnitId { get; }

    /// <summary>The request's function (5, 6, 15, 16, 22 or 23).</summary>
    public ModbusFunctionCode Function { get; }

    /// <summary><see cref="ModbusTable.Coils"/> or <see cref="ModbusTable.HoldingRegisters"/>.</summary>
    public ModbusTable Table { get; }

    /// <summary>First protocol address written.</summary>
    public int Address { get; }

    /// <summary>Number of values written.</summary>
    public int Count => Table == ModbusTable.Coils ? CoilValues.Count : RegisterValues.Count;

    /// <summary>The coil states (empty for register writes).</summary>
    public IReadOnlyList<bool> CoilValues { get; }

    /// <summary>The register values (empty for coil writes). For a mask write: the register's resulting value.</summary>
    public IReadOnlyList<ushort> RegisterValues { get; }

    internal ModbusWrite ForUnit(int unitId) => new(unitId, Function, Table, Address, CoilValues, RegisterValues);

    /// <summary>E.g. <c>unit 3 HoldingRegisters 100 = [1, 2]</c>.</summary>
    /// <returns>A short description.</returns>
    public override string ToString() =>
        $"unit {UnitId} {Table} {Address} = [{(Table == ModbusTable.Coils ? string.Join(", ", CoilValues) : string.Join(", ", RegisterValues))}]";
}

/// <summary>A request a server received, as shown to <see cref="ModbusServer.RequestHook"/>.</summary>
public sealed class ModbusRequest
{
    internal ModbusRequest(ModbusTransport transport, int unitId, int functionCode, int address, int count, ModbusWrite? write, byte[] pdu)
    {
        Transport = transport;
        UnitId = unitId;
        FunctionCode = functionCode;
        Address = address;
        Count = count;
        Write = write;
        Pdu = pdu;
    }

    /// <summary>TCP or RTU.</summary>
    public ModbusTransport Transport { get; }

    /// <summary>The unit (slave) id addressed.</summary>
    public int UnitId { get; }

    /// <summary>The raw function code.</summary>
    public int FunctionCode { get; }

    /// <summary>The function, when it is one of <see cref="ModbusFunctionCode"/>'s values.</summary>
    public ModbusFunctionCode? Function => Enum.IsDefined(typeof(ModbusFunctionCode), FunctionCode) ? (ModbusFunctionCode)FunctionCode : null;

    /// <summary>First address (for function 23, the read address); 0 when the function has none.</summary>
    public int Address { get; }

    /// <summary>Number of values (for function 23, the number read); 0 when the function has none.</summary>
    public int Count { get; }

    /// <summary>The write this request would apply, if it is a well-formed write request; otherwise null.</summary>
    public ModbusWrite? Write { get; }

    /// <summary>The protocol data unit: function code and data, without unit id, MBAP header or CRC.</summary>
    public ReadOnlyMemory<byte> Pdu { get; }

    /// <summary>E.g. <c>unit 3 fc 3 address 100 count 2</c>.</summary>
    /// <returns>A short description.</returns>
    public override string ToString() => $"unit {UnitId} fc {FunctionCode} address {Address} count {Count}";
}

/// <summary>What the server does with a request: answer normally, answer an exception, or stay silent, possibly late.</summary>
public enum ModbusResponseKind
{
    /// <summary>Answer from the unit's map (<c>modbus_reply</c>), applying writes.</summary>
    Normal,

    /// <summary>Answer with <see cref="ModbusResponse.ExceptionCode"/> (<c>modbus_reply_exception</c>); writes are not applied.</summary>
    Exception,

    /// <summary>Do not answer (a dead device); writes are not applied.</summary>
    Silence,
}

/// <summary>The decision of a <see cref="ModbusServer.RequestHook"/>.</summary>
public readonly record struct ModbusResponse
{
    private ModbusResponse(ModbusResponseKind kind, ModbusExceptionCode code, TimeSpan delay)
    {
        Kind = kind;
        ExceptionCode = code;
        Delay = delay;
    }

    /// <summary>Answer from the map.</summary>
    public static ModbusResponse Normal => default;

    /// <summary>Do not answer; the master times out.</summary>
    public static ModbusResponse Silence => new(ModbusResponseKind.Silence, default, TimeSpan.Zero);

    /// <summary>What to do.</summary>
    public ModbusResponseKind Kind { get; }

    /// <summary>The code sent when <see cref="Kind"/> is <see cref="ModbusResponseKind.Exception"/>.</summary>
    public ModbusExceptionCode ExceptionCode { get; }

    /// <summary>How long to wait before acting (a slow device). The connection (or the whole RTU bus) waits meanwhile.</summary>
    public TimeSpan Delay { get; }

    /// <summary>Answer with an exception code instead (e.g. to reject a write or play a busy device).</summary>
    /// <param name="code">The code; 1 to 11.</param>
    /// <returns>The decision.</returns>
    public static ModbusResponse Reject(ModbusExceptionCode code)
    {
        if ((int)code is < 1 or > 11)
        {
            throw new ArgumentOutOfRangeException(nameof(code), code, "libmodbus sends exception codes 1 to 11 only.");
        }

        return new ModbusResponse(ModbusResponseKind.Exception, code, TimeSpan.Zero);
    }

    /// <summary>The same decision, carried out after <paramref name="delay"/>.</summary>
    /// <param name="delay">Non-negative delay.</param>
    /// <returns>The delayed decision.</returns>
    public ModbusResponse After(TimeSpan delay)
    {
        if (delay < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(delay), delay, "The delay must not be negative.");
        }

        return new ModbusResponse(Kind, ExceptionCode, delay);
    }
}

/// <summary>Carries a <see cref="ModbusWrite"/> that has been applied.</summary>
public sealed class ModbusWriteEventArgs : EventArgs
{
    /// <summary>Wraps <paramref name="write"/>.</summary>
    /// <param name="write">The write applied.</param>
    public ModbusWriteEventArgs(ModbusWrite write)
    {
        Write = write;
    }

    /// <summary>The write applied.</summary>
    public ModbusWrite Write { get; }
}

/// <summary>A failure inside a running server (a hook that threw, a port error...); the server goes on.</summary>
public sealed class ModbusServerErrorEventArgs : EventArgs
{
    /// <summary>Wraps <paramref name="exception"/>.</summary>
    /// <param name="exception">What went wrong.</param>
    public ModbusServerErrorEventArgs(Exception exception)
    {
        Exception = exception;
    }

    /// <summary>What went wrong.</summary>
    public Exception Exception { get; }
}
