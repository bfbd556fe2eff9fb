namespace Telemetry.Modbus;

/// <summary>Decodes the PDU of a request received by a server (after the unit id), and frames RTU requests.</summary>
internal static class ModbusRequestParser
{
    /// <summary>Decodes the request in <paramref name="frame"/>; the unit id is at <paramref name="headerLength"/> - 1.</summary>
    /// <param name="frame">The whole ADU.</param>
    /// <param name="length">ADU length, including the CRC on RTU.</param>
    /// <param name="headerLength">7 on TCP, 1 on RTU.</param>
    /// <param name="checksumLength">0 on TCP, 2 on RTU.</param>
    /// <param name="transport">For the request's description.</param>
    /// <param name="currentRegister">Reads a holding register's current value (for mask writes); null if out of the map.</param>
    public static ModbusRequest Parse(byte[] frame, int length, int headerLength, int checksumLength, ModbusTransport transport, Func<int, ushort?> currentRegister)
    {
        var unit = frame[headerLength - 1];
        var pduStart = headerLength;
        var pduLength = Math.Max(0, length - headerLength - checksumLength);
        var pdu = frame.AsSpan(pduStart, pduLength);
        var function = pdu.Length > 0 ? pdu[0] : 0;
        int address = 0, count = 0;
        ModbusWrite? write = null;

        switch (function)
        {
            case 1 or 2 or 3 or 4 when pdu.Length >= 5:
                address = Word(pdu, 1);
                count = Word(pdu, 3);
                break;
            case 5 when pdu.Length >= 5:
                address = Word(pdu, 1);
                count = 1;
                var coil = Word(pdu, 3);
                if (coil is 0xFF00 or 0x0000)
                {
                    write = new ModbusWrite(unit, ModbusFunctionCode.WriteSingleCoil, ModbusTable.Coils, address, [coil == 0xFF00], []);
                }

                break;
            case 6 when pdu.Length >= 5:
                address = Word(pdu, 1);
                count = 1;
                write = new ModbusWrite(unit, ModbusFunctionCode.WriteSingleRegister, ModbusTable.HoldingRegisters, address, [], [Word(pdu, 3)]);
                break;
            case 15 when pdu.Length >= 6:
                address = Word(pdu, 1);
                count = Word(pdu, 3);
                var bitBytes = pdu[5];
                if (count is >= 1 and <= 1968 && bitBytes * 8 >= count && pdu.Length >= 6 + bitBytes)
                {
                    var bits = new bool[count];
                    for (var i = 0; i < count; i++)
                    {
                        bits[i] = (pdu[6 + (i / 8)] & (1 << (i % 8))) != 0;
                    }

                    write = new ModbusWrite(unit, ModbusFunctionCode.WriteMultipleCoils, ModbusTable.Coils, address, bits, []);
                }

                break;
            case 16 when pdu.Length >= 6:
                address = Word(pdu, 1);
                count = Word(pdu, 3);
                var registerBytes = pdu[5];
                if (count is >= 1 and <= 123 && registerBytes == count * 2 && pdu.Length >= 6 + registerBytes)
                {
                    var values = new ushort[count];
                    for (var i = 0; i < count; i++)
                    {
                        values[i] = Word(pdu, 6 + (2 * i));
                    }

                    write = new ModbusWrite(unit, ModbusFunctionCode.WriteMultipleRegisters, ModbusTable.HoldingRegisters, address, [], values);
                }

                break;
            case 22 when pdu.Length >= 7:
                address = Word(pdu, 1);
                count = 1;
                if (currentRegister(address) is { } current)
                {
                    var and = Word(pdu, 3);
                    var or = Word(pdu, 5);
                    var result = (ushort)((current & and) | (or & ~and));
                    write = new ModbusWrite(unit, ModbusFunctionCode.MaskWriteRegister, ModbusTable.HoldingRegisters, address, [], [result]);
                }

                break;
            case 23 when pdu.Length >= 10:
                address = Word(pdu, 1);
                count = Word(pdu, 3);
                var writeAddress = Word(pdu, 5);
                var writeCount = Word(pdu, 7);
                var writeBytes = pdu[9];
                if (writeCount is >= 1 and <= 121 && count is >= 1 and <= 125 && writeBytes == writeCount * 2 && pdu.Length >= 10 + writeBytes)
                {
                    var values = new ushort[writeCount];
                    for (var i = 0; i < writeCount; i++)
                    {
                        values[i] = Word(pdu, 10 + (2 * i));
                    }

                    write = new ModbusWrite(unit, ModbusFunctionCode.WriteAndReadRegisters, ModbusTable.HoldingRegisters, writeAddress, [], values);
                }

                break;
        }

        return new ModbusRequest(transport, unit, function, address, count, write, pdu.ToArray());
    }

    private static ushort Word(ReadOnlySpan<byte> pdu, int at) => (ushort)((pdu[at] << 8) | pdu[at + 1]);

    /// <summary>Whether libmodbus's <c>modbus_reply</c> will apply <paramref name="request"/>'s write to <paramref name="map"/> (same checks as its reply code).</summary>
    public static bool WillApply(ModbusRequest request, ModbusRegisterMap map)
    {
        if (request.Write is not { } write)
        {
            return false;
        }

        var range = map.RangeOf(write.Table);
        if (!range.Contains(write.Address, write.Count))
        {
            return false;
        }

        return request.FunctionCode != (int)ModbusFunctionCode.WriteAndReadRegisters || map.HoldingRegisters.Contains(request.Address, request.Count);
    }

    /// <summary>
    /// The length of the RTU request starting at <paramref name="frame"/>[0], CRC included: -1 if more bytes
    /// are needed to tell, 0 if the function's length is unknown (the frame ends with the line's silence).
    /// </summary>
    public static int RtuRequestLength(ReadOnlySpan<byte> frame)
    {
        if (frame.Length < 2)
        {
            return -1;
        }

        switch (frame[1])
        {
            case >= 1 and <= 6:
                return 8;
            case 7 or 11 or 12 or 17:
                return 4;
            case 15 or 16:
                return frame.Length < 7 ? -1 : 9 + frame[6];
            case 22:
                return 10;
            case 23:
                return frame.Length < 11 ? -1 : 13 + frame[10];
            default:
                return 0;
        }
    }

    /// <summary>Modbus CRC-16 (polynomial 0xA001, initial 0xFFFF), low byte first on the wire.</summary>
    public static ushort Crc16(ReadOnlySpan<byte> data)
    {
        ushort crc = 0xFFFF;
        foreach (var b in data)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (ushort)((crc >> 1) ^ 0xA001) : (ushort)(crc >> 1);
            }
        }

        return crc;
    }

    /// <summary>Whether the last two bytes of <paramref name="frame"/> are the CRC of the rest.</summary>
    public static bool CrcMatches(ReadOnlySpan<byte> frame)
    {
        if (frame.Length < 4)
        {
            return false;
        }

        var crc = Crc16(frame[..^2]);
        return frame[^2] == (crc & 0xFF) && frame[^1] == (crc >> 8);
    }
}
