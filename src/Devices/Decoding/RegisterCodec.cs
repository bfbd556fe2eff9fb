using Telemetry.Devices.Profiles;

namespace Telemetry.Devices.Decoding;

/// <summary>
/// Bit-exact conversion between register words and the raw bits of a value, for every <see cref="WordOrder"/>.
/// </summary>
public static class RegisterCodec
{
    /// <summary>The raw bits of a 1-, 2- or 4-register value, most significant byte first as the order says.</summary>
    public static ulong ReadRaw(ReadOnlySpan<ushort> registers, WordOrder order)
    {
        CheckWidth(registers.Length);
        ulong raw = 0;
        for (var i = 0; i < registers.Length; i++)
        {
            var register = registers[order.ReversesRegisters() ? registers.Length - 1 - i : i];
            raw = (raw << 16) | (order.SwapsBytes() ? Swap(register) : register);
        }

        return raw;
    }

    /// <summary>Lays the low <c>16 × registers.Length</c> bits of <paramref name="raw"/> over the registers.</summary>
    public static void WriteRaw(ulong raw, Span<ushort> registers, WordOrder order)
    {
        CheckWidth(registers.Length);
        for (var i = registers.Length - 1; i >= 0; i--)
        {
            var word = (ushort)(raw & 0xFFFF);
            registers[order.ReversesRegisters() ? registers.Length - 1 - i : i] = order.SwapsBytes() ? Swap(word) : word;
            raw >>= 16;
        }
    }

    /// <summary>
    /// ASCII text, two characters per register in address order, high byte first (low byte first for BADC and
    /// DCBA); the text ends at the first NUL, and bytes outside printable ASCII read as '?'.
    /// </summary>
    public static string ReadAscii(ReadOnlySpan<ushort> registers, WordOrder order)
    {
        Span<char> chars = registers.Length <= 128 ? stackalloc char[registers.Length * 2] : new char[registers.Length * 2];
        var length = 0;
        foreach (var register in registers)
        {
            var word = order.SwapsBytes() ? Swap(register) : register;
            foreach (var b in (ReadOnlySpan<byte>)[(byte)(word >> 8), (byte)word])
            {
                if (b == 0)
                {
                    return new string(chars[..length]);
                }

                chars[length++] = b is >= 0x20 and < 0x7F ? (char)b : '?';
            }
        }

        return new string(chars[..length]);
    }

    /// <summary>Writes ASCII text as <see cref="ReadAscii"/> reads it, padding with NULs.</summary>
    /// <exception cref="ArgumentException">The text is longer than the registers hold or not printable ASCII.</exception>
    public static void WriteAscii(string text, Span<ushort> registers, WordOrder order)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > registers.Length * 2)
        {
            throw new ArgumentException($"{text.Length} characters do not fit {registers.Length} registers", nameof(text));
        }

        if (!IsPrintableAscii(text))
        {
            throw new ArgumentException("text must be printable ASCII", nameof(text));
        }

        for (var i = 0; i < registers.Length; i++)
        {
            var high = 2 * i < text.Length ? (byte)text[2 * i] : (byte)0;
            var low = (2 * i) + 1 < text.Length ? (byte)text[(2 * i) + 1] : (byte)0;
            var word = (ushort)((high << 8) | low);
            registers[i] = order.SwapsBytes() ? Swap(word) : word;
        }
    }

    /// <summary>Whether every character is printable ASCII (space to tilde).</summary>
    public static bool IsPrintableAscii(string text) => text.All(c => c is >= ' ' and <= '~');

    private static ushort Swap(ushort word) => (ushort)((word << 8) | (word >> 8));

    private static void CheckWidth(int registers)
    {
        if (registers is not (1 or 2 or 4))
        {
            throw new ArgumentException($"a raw value is 1, 2 or 4 registers wide, not {registers}", nameof(registers));
        }
    }
}
