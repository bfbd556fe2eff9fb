using System.Globalization;
using System.Text;

namespace Telemetry.Fuzzing;

/// <summary>
/// An input as a failing property prints it: its length, its text with every byte that is not printable ASCII
/// escaped, and the whole input in base64 (or, when that is too long to print, in a file) so that it can be fed
/// again exactly. <see cref="Shrink"/> makes it smaller while it still fails.
/// </summary>
public sealed class FuzzInput(byte[] bytes)
{
    private const int PrintedBytes = 2_000;
    private const int PrintedBase64Bytes = 12 * 1024;

    public byte[] Bytes { get; } = bytes ?? throw new ArgumentNullException(nameof(bytes));

    /// <summary>Smaller inputs made of this one: halves, quarters... removed, then single bytes of a short input.</summary>
    public static IEnumerable<FuzzInput> Shrink(FuzzInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var bytes = input.Bytes;
        for (var chunk = bytes.Length / 2; chunk >= 1; chunk /= 2)
        {
            if (chunk == 1 && bytes.Length > 256)
            {
                yield break;
            }

            for (var start = 0; start + chunk <= bytes.Length; start += chunk)
            {
                yield return new FuzzInput([.. bytes.AsSpan(0, start), .. bytes.AsSpan(start + chunk)]);
            }
        }
    }

    /// <summary>The input as text, every byte that is not printable ASCII escaped (<c>\n</c>, <c>\x00</c>, <c>\xC3</c>).</summary>
    public static string Escape(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(bytes.Length + 16);
        foreach (var b in bytes)
        {
            _ = b switch
            {
                (byte)'\n' => text.Append("\\n"),
                (byte)'\r' => text.Append("\\r"),
                (byte)'\t' => text.Append("\\t"),
                (byte)'\\' => text.Append("\\\\"),
                >= 0x20 and < 0x7F => text.Append((char)b),
                _ => text.Append(CultureInfo.InvariantCulture, $"\\x{b:X2}"),
            };
        }

        return text.ToString();
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{Bytes.Length} bytes: ");
        text.Append(Escape(Bytes.AsSpan(0, Math.Min(Bytes.Length, PrintedBytes))));
        if (Bytes.Length > PrintedBytes)
        {
            text.Append(CultureInfo.InvariantCulture, $"… ({Bytes.Length - PrintedBytes} more bytes)");
        }

        if (Bytes.Length <= PrintedBase64Bytes)
        {
            text.Append(CultureInfo.InvariantCulture, $"{Environment.NewLine}  base64: {Convert.ToBase64String(Bytes)}");
        }
        else
        {
            text.Append(CultureInfo.InvariantCulture, $"{Environment.NewLine}  whole input: {Save()}");
        }

        return text.ToString();
    }

    private string Save()
    {
        var path = Path.Combine(Path.GetTempPath(), "telemetry-fuzz", $"input-{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Bytes))[..16]}.bin");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, Bytes);
        return path;
    }
}
