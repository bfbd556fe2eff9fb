using System.Buffers.Text;
using System.Globalization;
using Telemetry.Contracts;
using Telemetry.InfluxDb.LineProtocol;
using Telemetry.InfluxDb.Writing;
using Telemetry.Contracts.Validation;

namespace Telemetry.Ingest.Storage;

/// <summary>
/// The fast path: batches in the form gateways write them, read by a scanner that knows that form and nothing else.
/// </summary>
/// <remarks>
/// The form is plain JSON: the contract's properties only, each once; strings of printable ASCII without escapes;
/// integers where the contract has them; times as <c>2026-11-22T19:00:04.981Z</c> (or without the milliseconds);
/// white space anywhere JSON allows it. Within that form every text is valid JSON whose meaning the scanner reads
/// exactly as the general path does. At the first thing outside it (an escape, an unknown property, a comment,
/// a time with an offset, a big integer) and also at the first rule broken (a reading or a batch the validator
/// refuses, a point InfluxDB could not take), it gives up and the caller rolls the batch back and encodes the
/// message along the general path, which is the one that says why. A sound batch is never refused here.
/// </remarks>
public sealed partial class ReadingBatchEncoder
{
    private const int MaxCanonicalValues = 64;

    private static readonly int[] DaysToMonthCommon = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];
    private static readonly int[] DaysToMonthLeap = [0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335, 366];

    private static readonly double[] PowersOfTen = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

    private bool TryEncodeCanonical(GatewayTopic topic, ReadOnlySpan<byte> site, ReadOnlySpan<byte> gateway, ReadOnlySpan<byte> payload, PointBatchBuilder batch, out EncodedMessage encoded)
    {
        encoded = default;
        try
        {
            return TryEncodeCanonicalBatch(topic, site, gateway, payload, batch, ref encoded);
        }
        catch (InfluxValueException)
        {
            return false;
        }
    }

    private bool TryEncodeCanonicalBatch(GatewayTopic topic, ReadOnlySpan<byte> site, ReadOnlySpan<byte> gateway, ReadOnlySpan<byte> payload, PointBatchBuilder batch, ref EncodedMessage encoded)
    {
        var scan = new CanonicalScanner(payload);
        if (!scan.Take((byte)'{'))
        {
            return false;
        }

        var latest = validator.Latest();
        var seen = Seen.None;
        var version = 0L;
        var seq = 0L;
        var sent = default(DateTimeOffset);
        Utf8Slice payloadSite = default, payloadGateway = default;
        var readings = 0;
        var stored = 0;
        DateTimeOffset? oldest = null;
        if (!scan.Take((byte)'}'))
        {
            do
            {
                if (!scan.String(out var name) || !scan.Take((byte)':'))
                {
                    return false;
                }

                var property = BatchProperty(name.In(payload, _scratch));
                if (property == Seen.None || (seen & property) != 0)
                {
                    return false;
                }

                seen |= property;
                var read = property switch
                {
                    Seen.Version => scan.Integer(out version) && version is >= int.MinValue and <= int.MaxValue,
                    Seen.Gateway => scan.String(out payloadGateway),
                    Seen.Site => scan.String(out payloadSite),
                    Seen.Seq => scan.Integer(out seq),
                    Seen.Sent => scan.Time(out sent),
                    _ => scan.Take((byte)'['),
                };
                if (!read)
                {
                    return false;
                }

                if (property != Seen.Readings || scan.Take((byte)']'))
                {
                    continue;
                }

                do
                {
                    if (!ScanReading(ref scan, payload))
                    {
                        return false;
                    }

                    readings++;
                    var reading = Parsed(payload);
                    if (validator.CheckReading(reading, readings - 1, latest) is not null)
                    {
                        return false;
                    }

                    if (Write(batch, reading, site, gateway))
                    {
                        stored++;
                        oldest = oldest is { } o && o <= reading.Ts ? o : reading.Ts;
                    }
                }
                while (scan.Take((byte)','));

                if (!scan.Take((byte)']'))
                {
                    return false;
                }
            }
            while (scan.Take((byte)','));

            if (!scan.Take((byte)'}'))
            {
                return false;
            }
        }

        const Seen Required = Seen.Gateway | Seen.Site | Seen.Seq | Seen.Sent | Seen.Readings;
        if (!scan.AtEnd() || (seen & Required) != Required
            || validator.CheckBatch(topic, (int)version, payloadSite.In(payload, _scratch), payloadGateway.In(payload, _scratch), readings, sent, latest) is not null)
        {
            return false;
        }

        WriteBatchPoint(batch, site, gateway, seq, stored, sent);
        encoded = new(stored + 1, stored, oldest, [], new BatchNumber(topic, seq, sent));
        return true;
    }

    private bool ScanReading(ref CanonicalScanner scan, ReadOnlySpan<byte> payload)
    {
        if (!scan.Take((byte)'{'))
        {
            return false;
        }

        StartReading();
        var seen = Seen.None;
        if (!scan.Take((byte)'}'))
        {
            do
            {
                if (!scan.String(out var name) || !scan.Take((byte)':'))
                {
                    return false;
                }

                var property = ReadingProperty(name.In(payload, _scratch));
                if (property == Seen.None || (seen & property) != 0)
                {
                    return false;
                }

                seen |= property;
                var read = property switch
                {
                    Seen.Device => scan.String(out _device),
                    Seen.Family => scan.String(out var family) && TryName(family.In(payload, _scratch), FamilyNames, out _family),
                    Seen.Ts => scan.Time(out _ts),
                    Seen.Quality => scan.String(out var quality) && TryName(quality.In(payload, _scratch), QualityNames, out _quality),
                    Seen.Circuit => scan.Null() || ScanText(ref scan, out _circuit),
                    Seen.Error => scan.Null() || ScanText(ref scan, out _error),
                    _ => scan.Null() || ScanValues(ref scan, payload),
                };
                if (!read)
                {
                    return false;
                }
            }
            while (scan.Take((byte)','));

            if (!scan.Take((byte)'}'))
            {
                return false;
            }
        }

        return (seen & (Seen.Device | Seen.Family | Seen.Ts)) == (Seen.Device | Seen.Family | Seen.Ts);
    }

    private static bool ScanText(ref CanonicalScanner scan, out Utf8Slice? text)
    {
        var found = scan.String(out var slice);
        text = found ? slice : null;
        return found;
    }

    private bool ScanValues(ref CanonicalScanner scan, ReadOnlySpan<byte> payload)
    {
        if (!scan.Take((byte)'{'))
        {
            return false;
        }

        _hasValues = true;
        if (scan.Take((byte)'}'))
        {
            return true;
        }

        do
        {
            if (!scan.String(out var name) || !scan.Take((byte)':') || _valueCount == MaxCanonicalValues)
            {
                return false;
            }

            // A name met twice is malformed: the general path says so.
            var bytes = name.In(payload, _scratch);
            for (var i = 0; i < _valueCount; i++)
            {
                if (_values[i].Name.In(payload, _scratch).SequenceEqual(bytes))
                {
                    return false;
                }
            }

            ReadingValue value;
            Utf8Slice text = default;
            if (scan.Literal("true"u8))
            {
                value = ReadingValue.Boolean(true);
            }
            else if (scan.Literal("false"u8))
            {
                value = ReadingValue.Boolean(false);
            }
            else if (!scan.Number(out value, out text))
            {
                return false;
            }

            AddValue(new ParsedValue(name, value, text));
        }
        while (scan.Take((byte)','));

        return scan.Take((byte)'}');
    }

    /// <summary>Reads the canonical form token by token; every method returns false, consuming nothing useful, at anything else.</summary>
    private ref struct CanonicalScanner(ReadOnlySpan<byte> payload)
    {
        private readonly ReadOnlySpan<byte> _payload = payload;
        private int _at;

        /// <summary>The next token is <paramref name="mark"/>: taken.</summary>
        public bool Take(byte mark)
        {
            SkipWhiteSpace();
            if (_at < _payload.Length && _payload[_at] == mark)
            {
                _at++;
                return true;
            }

            return false;
        }

        public bool Null() => Literal("null"u8);

        /// <summary>A literal (<c>true</c>, <c>false</c>, <c>null</c>) followed by a delimiter.</summary>
        public bool Literal(ReadOnlySpan<byte> literal)
        {
            SkipWhiteSpace();
            if (!_payload[_at..].StartsWith(literal) || !EndsToken(_at + literal.Length))
            {
                return false;
            }

            _at += literal.Length;
            return true;
        }

        /// <summary>A string of printable ASCII without escapes: where its text lies in the payload.</summary>
        public bool String(out Utf8Slice text)
        {
            text = default;
            SkipWhiteSpace();
            if (_at >= _payload.Length || _payload[_at] != '"')
            {
                return false;
            }

            // A plain loop: these strings are short, too short for a vectorised search to pay.
            var end = _at + 1;
            while (true)
            {
                if (end == _payload.Length)
                {
                    return false;
                }

                var b = _payload[end];
                if (b == '"')
                {
                    break;
                }

                if (b is < (byte)' ' or > (byte)'~' or (byte)'\\')
                {
                    return false;
                }

                end++;
            }

            end -= _at + 1;
            text = new Utf8Slice(_at + 1, end, Unescaped: false);
            _at += end + 2;
            return true;
        }

        /// <summary>An integer of at most 18 digits, written as JSON writes it (no leading zeros, no fraction, no exponent).</summary>
        public bool Integer(out long value)
        {
            value = 0;
            SkipWhiteSpace();
            var start = _at;
            var length = NumberLength(out var marks);
            if (length == 0 || marks || Utf8Parser.TryParse(_payload.Slice(start, length), out value, out var consumed) is false || consumed != length)
            {
                return false;
            }

            _at += length;
            return true;
        }

        /// <summary>
        /// A number, read as the general path reads it: an integer when it has no fraction or exponent (and at most 18
        /// digits, which always fit), otherwise a finite double. Its text is kept for writing as it stands.
        /// </summary>
        public bool Number(out ReadingValue value, out Utf8Slice text)
        {
            value = default;
            text = default;
            SkipWhiteSpace();
            var start = _at;
            var length = NumberLength(out var marks);
            if (length == 0)
            {
                return false;
            }

            var token = _payload.Slice(start, length);
            if (!marks)
            {
                if (!Utf8Parser.TryParse(token, out long integer, out var consumed) || consumed != length)
                {
                    return false;
                }

                value = ReadingValue.Integer(integer);
            }
            else if (TryExactDecimal(token, out var exact))
            {
                value = ReadingValue.Number(exact);
            }
            else
            {
                if (!double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || !double.IsFinite(number))
                {
                    return false;
                }

                value = ReadingValue.Number(number);
            }

            text = new Utf8Slice(start, length, Unescaped: false);
            _at += length;
            return true;
        }

        /// <summary>
        /// <c>yyyy-MM-ddTHH:mm:ss.fffZ</c> or <c>yyyy-MM-ddTHH:mm:ssZ</c> with every part in its usual range.
        /// </summary>
        public bool Time(out DateTimeOffset time)
        {
            time = default;
            if (!String(out var slice))
            {
                return false;
            }

            var text = _payload.Slice(slice.Offset, slice.Length);
            if ((text.Length != 20 && (text.Length != 24 || text[19] != '.')) || text[4] != '-' || text[7] != '-' || text[10] != 'T'
                || text[13] != ':' || text[16] != ':' || text[^1] != 'Z')
            {
                return false;
            }

            var year = Digits(text, 0, 4);
            var month = Digits(text, 5, 2);
            var day = Digits(text, 8, 2);
            var hour = Digits(text, 11, 2);
            var minute = Digits(text, 14, 2);
            var second = Digits(text, 17, 2);
            var millisecond = text.Length == 24 ? Digits(text, 20, 3) : 0;
            if (year < 1 || month is < 1 or > 12 || day < 1 || hour is < 0 or > 23 || minute is < 0 or > 59 || second is < 0 or > 59 || millisecond < 0)
            {
                return false;
            }

            // Days since 0001-01-01 by the proleptic Gregorian calendar, as DateTime counts them, without its checks.
            var leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
            var daysToMonth = leap ? DaysToMonthLeap : DaysToMonthCommon;
            if (day > daysToMonth[month] - daysToMonth[month - 1])
            {
                return false;
            }

            var before = year - 1;
            long days = (before * 365) + (before / 4) - (before / 100) + (before / 400) + daysToMonth[month - 1] + day - 1;
            var ticks = ((((days * 24) + hour) * 60 + minute) * 60 + second) * TimeSpan.TicksPerSecond + (millisecond * TimeSpan.TicksPerMillisecond);
            time = new DateTimeOffset(ticks, TimeSpan.Zero);
            return true;
        }

        /// <summary>
        /// A decimal without exponent of at most 15 digits in all: its digits as an integer m and its fraction's length
        /// k, then m / 10^k. Both are exact doubles (m below 2^53, k at most 15), so the one division is correctly
        /// rounded, the same double as parsing the text in full gives.
        /// </summary>
        private static bool TryExactDecimal(ReadOnlySpan<byte> token, out double value)
        {
            value = 0;
            var negative = token[0] == '-';
            long mantissa = 0;
            var digits = 0;
            var fraction = -1;
            foreach (var b in negative ? token[1..] : token)
            {
                if (b == '.')
                {
                    fraction = 0;
                    continue;
                }

                if (!char.IsAsciiDigit((char)b) || ++digits > 15)
                {
                    return false;
                }

                mantissa = (mantissa * 10) + (b - '0');
                if (fraction >= 0)
                {
                    fraction++;
                }
            }

            var magnitude = mantissa / PowersOfTen[Math.Max(fraction, 0)];
            value = negative ? -magnitude : magnitude;
            return true;
        }

        /// <summary>Only white space is left.</summary>
        public bool AtEnd()
        {
            SkipWhiteSpace();
            return _at == _payload.Length;
        }

        /// <summary>The value of <paramref name="count"/> ASCII digits, or -1 if any is not one.</summary>
        private static int Digits(ReadOnlySpan<byte> text, int start, int count)
        {
            var value = 0;
            foreach (var b in text.Slice(start, count))
            {
                if (!char.IsAsciiDigit((char)b))
                {
                    return -1;
                }

                value = (value * 10) + (b - '0');
            }

            return value;
        }

        /// <summary>
        /// The length of a JSON number at the current position (0 if there is none, or it has more than 18 digits
        /// before any fraction), and whether it has a fraction or an exponent.
        /// </summary>
        private readonly int NumberLength(out bool marks)
        {
            marks = false;
            var at = _at;
            if (at < _payload.Length && _payload[at] == '-')
            {
                at++;
            }

            var digits = Run(at);
            if (digits == 0 || digits > 18 || (digits > 1 && _payload[at] == '0'))
            {
                return 0;
            }

            at += digits;
            if (at < _payload.Length && _payload[at] == '.')
            {
                var fraction = Run(at + 1);
                if (fraction == 0)
                {
                    return 0;
                }

                marks = true;
                at += 1 + fraction;
            }

            if (at < _payload.Length && _payload[at] is (byte)'e' or (byte)'E')
            {
                at++;
                if (at < _payload.Length && _payload[at] is (byte)'+' or (byte)'-')
                {
                    at++;
                }

                var exponent = Run(at);
                if (exponent == 0)
                {
                    return 0;
                }

                marks = true;
                at += exponent;
            }

            return EndsToken(at) ? at - _at : 0;
        }

        /// <summary>How many ASCII digits start at <paramref name="at"/>.</summary>
        private readonly int Run(int at)
        {
            var end = at;
            while (end < _payload.Length && char.IsAsciiDigit((char)_payload[end]))
            {
                end++;
            }

            return end - at;
        }

        /// <summary>A token may end here: at the end, white space, or a structural character.</summary>
        private readonly bool EndsToken(int at) =>
            at >= _payload.Length || _payload[at] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)',' or (byte)'}' or (byte)']' or (byte)':';

        private void SkipWhiteSpace()
        {
            while (_at < _payload.Length && _payload[_at] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r')
            {
                _at++;
            }
        }
    }
}
