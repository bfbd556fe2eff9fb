namespace Telemetry.InfluxDb.LineProtocol;

/// <summary>Orders UTF-16 strings as their UTF-8 bytes would be ordered (Go's <c>bytes.Compare</c>).</summary>
internal static class Utf8Order
{
    public static int Compare(string left, string right)
    {
        var common = left.AsSpan().CommonPrefixLength(right);
        if (common == left.Length || common == right.Length)
        {
            return left.Length.CompareTo(right.Length);
        }

        var a = left[common];
        var b = right[common];

        // A surrogate stands for a code point above U+FFFF, which UTF-8 orders after every BMP character,
        // while UTF-16 code units would put it before U+E000..U+FFFF.
        var aSurrogate = char.IsSurrogate(a);
        if (aSurrogate != char.IsSurrogate(b))
        {
            return aSurrogate ? 1 : -1;
        }

        return a.CompareTo(b);
    }
}
