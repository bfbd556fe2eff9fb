using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.Unicode;
using Telemetry.Contracts;
using Telemetry.InfluxDb.LineProtocol;
using Telemetry.InfluxDb.Writing;
using Telemetry.Contracts.Validation;

namespace Telemetry.Ingest.Storage;

/// <summary>
/// Reads a reading batch from its payload bytes, checks it and writes its points as line protocol, in one pass:
/// no records, no strings and no boxed values for a sound batch, only the tokens of the payload copied (escaped)
/// into the batch. It accepts and refuses exactly what <see cref="ContractsJson"/> and the contracts' rules accept
/// and refuse, with the same reasons: malformed JSON anywhere refuses the whole message, then the batch's own rules,
/// then each reading on its own.
/// </summary>
/// <remarks>
/// Points are written as the readings come and taken back (<see cref="PointBatchBuilder.RollBack"/>) when the
/// message turns out to be refused as a whole, so the batch's fields may come in any order. Property names
/// are matched exactly (case-sensitive); unknown properties are skipped; duplicates are malformed. Enumerations
/// written otherwise than by their contract name (a number, a padded name) are read by the contract's own
/// converter. Two things the records let through are malformed here: a family or quality that names no member,
/// and a null reading (the first stopped the consumer, the second was dropped or failed later on).
/// Not thread-safe: one per consumer.
/// </remarks>
public sealed partial class ReadingBatchEncoder(GatewayMessageValidator validator)
{
    private const string Rethrowable = "System.Text.Json.Rethrowable"; // what System.Text.Json marks as a JSON error in disguise
    private const int LinearDuplicateSearch = 16;
    private const int Batch = -1; // in place of a reading's index: the batch object itself

    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        MaxDepth = ContractsJson.Default.Options.MaxDepth,
        AllowTrailingCommas = ContractsJson.Default.Options.AllowTrailingCommas,
        CommentHandling = ContractsJson.Default.Options.ReadCommentHandling,
    };

    private static readonly SearchValues<byte> NumberMarks = SearchValues.Create(".eE"u8);
    private static readonly byte[][] UnitSuffixes = [.. ValueNames.UnitSuffixes.Select(Encoding.UTF8.GetBytes)];

    // Contract names, the most frequent first.
    private static readonly (byte[] Name, DeviceFamily Value)[] FamilyNames =
        [.. new[] { DeviceFamily.HighMast, DeviceFamily.StreetController, DeviceFamily.DistributionBox, DeviceFamily.EmergencyBattery, DeviceFamily.LightTimeController }
            .Select(f => (Encoding.UTF8.GetBytes(f.ToContractName()), f))];

    private static readonly (byte[] Name, ReadingQuality Value)[] QualityNames =
        [("good"u8.ToArray(), ReadingQuality.Good), ("stale"u8.ToArray(), ReadingQuality.Stale), ("error"u8.ToArray(), ReadingQuality.Error)];

    private readonly Dictionary<int, int> _namesByHash = [];
    private byte[] _scratch = new byte[1024];
    private int _scratchLength;
    private ParsedValue[] _values = new ParsedValue[32];
    private int _valueCount;

    // The reading being read.
    private Utf8Slice _device;
    private DeviceFamily _family;
    private DateTimeOffset _ts;
    private ReadingQuality _quality;
    private Utf8Slice? _circuit;
    private Utf8Slice? _error;
    private bool _hasValues;

    [Flags]
    private enum Seen
    {
        None = 0,
        Version = 1,
        Gateway = 2,
        Site = 4,
        Seq = 8,
        Sent = 16,
        Readings = 32,
        Device = 64,
        Family = 128,
        Ts = 256,
        Quality = 512,
        Circuit = 1024,
        Values = 2048,
        Error = 4096,
    }

    /// <summary>
    /// Messages read along the general path because they were not in the form gateways write (or broke a rule):
    /// correct either way, only slower.
    /// </summary>
    public long GeneralPathMessages { get; private set; }

    /// <summary>Adds the points of one telemetry message to <paramref name="batch"/>, or nothing when it is refused as a whole.</summary>
    /// <param name="topic">The message's topic.</param>
    /// <param name="site">The topic's site, UTF-8.</param>
    /// <param name="gateway">The topic's gateway, UTF-8.</param>
    /// <param name="payload">The message's payload.</param>
    /// <param name="batch">Where the points go.</param>
    public EncodedMessage Encode(GatewayTopic topic, ReadOnlySpan<byte> site, ReadOnlySpan<byte> gateway, ReadOnlySpan<byte> payload, PointBatchBuilder batch)
    {
        var start = batch.Position;
        _scratchLength = 0;
        if (TryEncodeCanonical(topic, site, gateway, payload, batch, out var canonical))
        {
            return canonical;
        }

        GeneralPathMessages++;
        batch.RollBack(start);
        _scratchLength = 0;
        try
        {
            return EncodeBatch(topic, site, gateway, payload, batch, start);
        }
        catch (Exception ex) when (ex is JsonException || (ex is InvalidOperationException or FormatException && ex.Source == Rethrowable))
        {
            batch.RollBack(start);
            var detail = ex is JsonException { Path: { Length: > 0 } path } ? $"{ex.Message} (at {path})" : ex.Message;
            return new(0, 0, null, [new Rejection(RejectionReason.MalformedJson, detail)]);
        }
        catch (InfluxValueException ex)
        {
            batch.RollBack(start);
            return new(0, 0, null, [new Rejection(RejectionReason.InvalidName, ex.Message)]);
        }
    }

    private EncodedMessage EncodeBatch(GatewayTopic topic, ReadOnlySpan<byte> site, ReadOnlySpan<byte> gateway, ReadOnlySpan<byte> payload, PointBatchBuilder batch, BatchPosition start)
    {
        var reader = new Utf8JsonReader(payload, ReaderOptions);
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            throw new JsonException("the payload is JSON null");
        }

        Expect(ref reader, JsonTokenType.StartObject, Batch, null, "a reading batch must be an object");
        var latest = validator.Latest();
        var seen = Seen.None;
        var version = 0;
        var seq = 0L;
        var sent = default(DateTimeOffset);
        Utf8Slice payloadSite = default, payloadGateway = default;
        var readings = 0;
        var stored = 0;
        DateTimeOffset? oldest = null;
        List<Rejection>? rejections = null;
        while (true)
        {
            reader.Read();
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            var property = BatchProperty(PropertyName(ref reader));
            reader.Read();
            See(ref seen, property, Batch);
            switch (property)
            {
                case Seen.Version:
                    version = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var v) ? v : throw Malformed(Path(Batch, "v"), "the version must be a 32-bit integer");
                    break;
                case Seen.Gateway:
                    payloadGateway = ReadText(ref reader, Batch, "gateway");
                    break;
                case Seen.Site:
                    payloadSite = ReadText(ref reader, Batch, "site");
                    break;
                case Seen.Seq:
                    seq = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var s) ? s : throw Malformed(Path(Batch, "seq"), "seq must be a 64-bit integer");
                    break;
                case Seen.Sent:
                    sent = ReadTime(ref reader, Batch, "sent");
                    break;
                case Seen.Readings:
                    Expect(ref reader, JsonTokenType.StartArray, Batch, "readings", "readings must be an array");
                    while (true)
                    {
                        reader.Read();
                        if (reader.TokenType == JsonTokenType.EndArray)
                        {
                            break;
                        }

                        ReadReading(ref reader, payload, readings);
                        readings++;
                        var reading = Parsed(payload);
                        var rejection = validator.CheckReading(reading, readings - 1, latest);
                        if (rejection is null)
                        {
                            try
                            {
                                if (Write(batch, reading, site, gateway))
                                {
                                    stored++;
                                    oldest = oldest is { } o && o <= reading.Ts ? o : reading.Ts;
                                }
                            }
                            catch (InfluxValueException ex)
                            {
                                rejection = new(RejectionReason.InvalidName, $"device {reading.DeviceText}: {ex.Message}");
                            }
                        }

                        if (rejection is not null)
                        {
                            (rejections ??= []).Add(rejection);
                        }
                    }

                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        if (reader.Read())
        {
            throw Malformed("$", "the payload holds more than one JSON value");
        }

        Require(seen, Seen.Gateway | Seen.Site | Seen.Seq | Seen.Sent | Seen.Readings, Batch);
        var refused = validator.CheckBatch(
            topic, version, payloadSite.In(payload, _scratch), payloadGateway.In(payload, _scratch), readings, sent, latest);
        if (refused is not null)
        {
            // A batch refused whole is no batch of the gateway's stream: its seq is neither trusted nor counted.
            batch.RollBack(start);
            return new(0, 0, null, [refused]);
        }

        WriteBatchPoint(batch, site, gateway, seq, stored, sent);
        return new(stored + 1, stored, oldest, rejections ?? (IReadOnlyList<Rejection>)[], new BatchNumber(topic, seq, sent));
    }

    /// <summary>The batch's own point: its sequence number and how many of its readings were stored.</summary>
    private static void WriteBatchPoint(PointBatchBuilder batch, ReadOnlySpan<byte> site, ReadOnlySpan<byte> gateway, long seq, int stored, DateTimeOffset sent)
    {
        var point = batch.StartPoint("batches"u8);
        point.Tag("gateway"u8, gateway);
        point.Tag("site"u8, site);
        point.Field("seq"u8, seq);
        point.Field("readings"u8, (long)stored);
        point.End(sent.ToUnixTimeMilliseconds());
    }

    private void ReadReading(ref Utf8JsonReader reader, ReadOnlySpan<byte> payload, int index)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            // A null reading too: it has nothing to store and would otherwise reach the rules as nothing at all.
            throw Malformed(Path(index, null), $"a reading must be an object, not {reader.TokenType}");
        }

        var seen = Seen.None;
        StartReading();
        while (true)
        {
            reader.Read();
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            var property = ReadingProperty(PropertyName(ref reader));
            reader.Read();
            See(ref seen, property, index);
            switch (property)
            {
                case Seen.Device:
                    _device = ReadText(ref reader, index, "device");
                    break;
                case Seen.Family:
                    _family = ReadFamily(ref reader, payload, index);
                    break;
                case Seen.Ts:
                    _ts = ReadTime(ref reader, index, "ts");
                    break;
                case Seen.Quality:
                    _quality = ReadQuality(ref reader, payload, index);
                    break;
                case Seen.Circuit:
                    _circuit = reader.TokenType == JsonTokenType.Null ? null : ReadText(ref reader, index, "circuit");
                    break;
                case Seen.Error:
                    _error = reader.TokenType == JsonTokenType.Null ? null : ReadText(ref reader, index, "error");
                    break;
                case Seen.Values when reader.TokenType == JsonTokenType.Null:
                    break;
                case Seen.Values:
                    Expect(ref reader, JsonTokenType.StartObject, index, "values", "values must be an object");
                    _hasValues = true;
                    ReadValues(ref reader, payload, index);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        Require(seen, Seen.Device | Seen.Family | Seen.Ts, index);
    }

    /// <summary>Forgets the last reading: what a reading leaves out takes its default.</summary>
    private void StartReading()
    {
        _quality = ReadingQuality.Good;
        _circuit = null;
        _error = null;
        _hasValues = false;
        _valueCount = 0;
    }

    private void ReadValues(ref Utf8JsonReader reader, ReadOnlySpan<byte> payload, int index)
    {
        while (true)
        {
            reader.Read();
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return;
            }

            var raw = reader.ValueSpan;
            var name = !reader.ValueIsEscaped && IsPlainName(raw)
                ? new Utf8Slice((int)reader.TokenStartIndex + 1, raw.Length, Unescaped: false)
                : Unescaped(reader.GetString()!);
            reader.Read();
            var value = reader.TokenType switch
            {
                JsonTokenType.True => ReadingValue.Boolean(true),
                JsonTokenType.False => ReadingValue.Boolean(false),
                JsonTokenType.Number => ReadNumber(ref reader),
                _ => throw Malformed(Path(index, "values"), $"a reading value must be a number or a boolean, not {reader.TokenType}"),
            };
            var text = reader.TokenType == JsonTokenType.Number ? new Utf8Slice((int)reader.TokenStartIndex, reader.ValueSpan.Length, Unescaped: false) : default;
            AddValue(new ParsedValue(name, value, text));
            CheckUnique(payload, index);
        }
    }

    private void AddValue(ParsedValue value)
    {
        if (_valueCount == _values.Length)
        {
            Array.Resize(ref _values, _values.Length * 2);
        }

        _values[_valueCount++] = value;
    }

    /// <summary>Refuses a name the reading's values already have, as a dictionary would.</summary>
    private void CheckUnique(ReadOnlySpan<byte> payload, int index)
    {
        var last = _valueCount - 1;
        var name = _values[last].Name.In(payload, _scratch);
        if (last < LinearDuplicateSearch)
        {
            for (var i = 0; i < last; i++)
            {
                if (_values[i].Name.In(payload, _scratch).SequenceEqual(name))
                {
                    throw Malformed(Path(index, "values"), "duplicate value name");
                }
            }

            return;
        }

        if (last == LinearDuplicateSearch)
        {
            _namesByHash.Clear();
            for (var i = 0; i < last; i++)
            {
                _namesByHash.TryAdd(Hash(_values[i].Name.In(payload, _scratch)), i);
            }
        }

        if (!_namesByHash.TryAdd(Hash(name), last))
        {
            // Same hash: compare for real (rarely needed, so a plain scan).
            for (var i = 0; i < last; i++)
            {
                if (_values[i].Name.In(payload, _scratch).SequenceEqual(name))
                {
                    throw Malformed(Path(index, "values"), "duplicate value name");
                }
            }
        }

        static int Hash(ReadOnlySpan<byte> bytes)
        {
            var hash = default(HashCode);
            hash.AddBytes(bytes);
            return hash.ToHashCode();
        }
    }

    private ParsedReading Parsed(ReadOnlySpan<byte> payload) => new()
    {
        Payload = payload,
        Scratch = _scratch,
        Device = _device.In(payload, _scratch),
        Family = _family,
        Ts = _ts,
        Quality = _quality,
        HasCircuit = _circuit is not null,
        Circuit = _circuit is { } circuit ? circuit.In(payload, _scratch) : default,
        HasError = _error is not null,
        Error = _error is { } error ? error.In(payload, _scratch) : default,
        HasValues = _hasValues,
        Values = _values.AsSpan(0, _valueCount),
    };

    /// <summary>Writes a reading that passed the rules; false when it has nothing to store.</summary>
    private static bool Write(PointBatchBuilder batch, in ParsedReading reading, ReadOnlySpan<byte> site, ReadOnlySpan<byte> gateway)
    {
        var qualityFields = reading.Quality switch
        {
            ReadingQuality.Error => 2,
            ReadingQuality.Stale => 1,
            _ => 0,
        };
        if (qualityFields + reading.Values.Length == 0)
        {
            return false;
        }

        // Tags in key order: circuit, device, gateway, site.
        var point = batch.StartPoint(MeasurementOf(reading.Family));
        if (reading.HasCircuit)
        {
            point.Tag("circuit"u8, reading.Circuit);
        }

        point.Tag("device"u8, reading.Device);
        point.Tag("gateway"u8, gateway);
        point.Tag("site"u8, site);
        switch (reading.Quality)
        {
            case ReadingQuality.Error:
                point.StringField("quality"u8, "error"u8);
                point.StringField("error"u8, reading.HasError ? reading.Error : "unknown error"u8);
                break;
            case ReadingQuality.Stale:
                point.StringField("quality"u8, "stale"u8);
                break;
        }

        foreach (ref readonly var value in reading.Values)
        {
            var name = reading.Name(value);

            // A field keeps one type in InfluxDB: a count written with a fraction stays a float (and is refused if the
            // field is an integer), but a measurement (a name with a unit) written without one (230) is still a float.
            // The number's own text when it is what formatting its value would write (the usual case), saving the work.
            switch (value.Value.Kind)
            {
                case ReadingValueKind.Boolean:
                    point.Field(name, value.Value.AsBoolean());
                    break;
                case ReadingValueKind.Integer when !IsMeasurement(name):
                    if (!point.TryFieldText(name, reading.Text(value), integer: true))
                    {
                        point.Field(name, value.Value.AsInteger());
                    }

                    break;
                default:
                    if (!point.TryFieldText(name, reading.Text(value), integer: false))
                    {
                        point.Field(name, value.Value.AsDouble());
                    }

                    break;
            }
        }

        point.End(reading.Ts.ToUnixTimeMilliseconds());
        return true;
    }

    private static ReadOnlySpan<byte> MeasurementOf(DeviceFamily family) => family switch
    {
        DeviceFamily.StreetController => "street_controller"u8,
        DeviceFamily.HighMast => "high_mast"u8,
        DeviceFamily.DistributionBox => "distribution_box"u8,
        DeviceFamily.EmergencyBattery => "emergency_battery"u8,
        DeviceFamily.LightTimeController => "light_time_controller"u8,
        _ => throw new ArgumentOutOfRangeException(nameof(family), family, "unknown device family"),
    };

    /// <summary><see cref="ValueNames.IsMeasurement"/> on a UTF-8 name (value names are ASCII).</summary>
    private static bool IsMeasurement(ReadOnlySpan<byte> name)
    {
        var underscore = name.LastIndexOf((byte)'_');
        if (underscore <= 0)
        {
            return false;
        }

        var suffix = name[underscore..];
        foreach (var unit in UnitSuffixes)
        {
            if (suffix.SequenceEqual(unit))
            {
                return true;
            }
        }

        return false;
    }

    private static DeviceFamily ReadFamily(ref Utf8JsonReader reader, ReadOnlySpan<byte> payload, int index) =>
        ReadNamed(ref reader, payload, FamilyNames, ContractsJson.Default.DeviceFamily, index, "family");

    private static ReadingQuality ReadQuality(ref Utf8JsonReader reader, ReadOnlySpan<byte> payload, int index) =>
        ReadNamed(ref reader, payload, QualityNames, ContractsJson.Default.ReadingQuality, index, "quality");

    /// <summary>An enumeration written as its contract name (the usual case, matched on the bytes), or otherwise.</summary>
    private static T ReadNamed<T>(ref Utf8JsonReader reader, ReadOnlySpan<byte> payload, (byte[] Name, T Value)[] names, JsonTypeInfo<T> type, int index, string property)
        where T : struct, Enum
    {
        if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && TryName(reader.ValueSpan, names, out var value))
        {
            return value;
        }

        return ReadOtherwise(ref reader, payload, type, index, property);
    }

    /// <summary>The member whose contract name <paramref name="text"/> is, byte for byte.</summary>
    private static bool TryName<T>(ReadOnlySpan<byte> text, (byte[] Name, T Value)[] names, out T value)
        where T : struct
    {
        foreach (var (candidate, member) in names)
        {
            if (text.SequenceEqual(candidate))
            {
                value = member;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>An enumeration not written as its contract name, read by the contract's converter itself.</summary>
    private static T ReadOtherwise<T>(ref Utf8JsonReader reader, ReadOnlySpan<byte> payload, JsonTypeInfo<T> type, int index, string property)
        where T : struct, Enum
    {
        if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.Number))
        {
            throw Malformed(Path(index, property), $"a {typeof(T).Name} must be a string, not {reader.TokenType}");
        }

        var token = payload[(int)reader.TokenStartIndex..(int)reader.BytesConsumed];
        var value = JsonSerializer.Deserialize(token, type);

        // A number the enumeration does not name would reach storage as nothing sensible (or stop the consumer).
        return Enum.IsDefined(value) ? value : throw Malformed(Path(index, property), $"{value} is not a {typeof(T).Name}");
    }

    private static ReadingValue ReadNumber(ref Utf8JsonReader reader)
    {
        var raw = reader.ValueSpan;
        if (raw.IndexOfAny(NumberMarks) < 0 && reader.TryGetInt64(out var integer))
        {
            return ReadingValue.Integer(integer);
        }

        var number = reader.GetDouble();
        return double.IsFinite(number)
            ? ReadingValue.Number(number)
            : throw new JsonException($"value {Encoding.UTF8.GetString(raw)} is out of the range of a double");
    }

    private static DateTimeOffset ReadTime(ref Utf8JsonReader reader, int index, string property) =>
        reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out var value)
            ? value.ToUniversalTime()
            : throw Malformed(Path(index, property), "a time must be an RFC 3339 string such as 2026-11-22T19:00:04.981Z");

    /// <summary>A string property's text: where it lies in the payload, or its unescaped copy.</summary>
    private Utf8Slice ReadText(ref Utf8JsonReader reader, int index, string property)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw Malformed(Path(index, property), $"expected a string, not {reader.TokenType}");
        }

        if (reader.ValueIsEscaped)
        {
            return Unescaped(reader.GetString()!);
        }

        var raw = reader.ValueSpan;
        return Utf8.IsValid(raw)
            ? new Utf8Slice((int)reader.TokenStartIndex + 1, raw.Length, Unescaped: false)
            : throw Malformed(Path(index, property), "a string is not valid UTF-8");
    }

    /// <summary>The property name, unescaped if need be (into scratch memory, which the next text may reuse).</summary>
    private ReadOnlySpan<byte> PropertyName(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            return reader.ValueSpan;
        }

        var room = Room(reader.ValueSpan.Length);
        var length = reader.CopyString(room);
        return room[..length];
    }

    private Utf8Slice Unescaped(string text)
    {
        var room = Room(Encoding.UTF8.GetMaxByteCount(text.Length));
        var length = Encoding.UTF8.GetBytes(text, room);
        var slice = new Utf8Slice(_scratchLength, length, Unescaped: true);
        _scratchLength += length;
        return slice;
    }

    private Span<byte> Room(int bytes)
    {
        if (_scratch.Length - _scratchLength < bytes)
        {
            // Not pooled: slices taken earlier in this message still point into the old array.
            Array.Resize(ref _scratch, Math.Max(_scratch.Length * 2, _scratchLength + bytes));
        }

        return _scratch.AsSpan(_scratchLength, bytes);
    }

    private static bool IsPlainName(ReadOnlySpan<byte> name)
    {
        foreach (var b in name)
        {
            if (!char.IsAsciiLetterLower((char)b) && !char.IsAsciiDigit((char)b) && b != '_')
            {
                return false;
            }
        }

        return true;
    }

    private static Seen BatchProperty(ReadOnlySpan<byte> name) => name.Length switch
    {
        1 when name[0] == 'v' => Seen.Version,
        3 when name.SequenceEqual("seq"u8) => Seen.Seq,
        4 when name.SequenceEqual("site"u8) => Seen.Site,
        4 when name.SequenceEqual("sent"u8) => Seen.Sent,
        7 when name.SequenceEqual("gateway"u8) => Seen.Gateway,
        8 when name.SequenceEqual("readings"u8) => Seen.Readings,
        _ => Seen.None,
    };

    private static Seen ReadingProperty(ReadOnlySpan<byte> name) => name.Length switch
    {
        2 when name.SequenceEqual("ts"u8) => Seen.Ts,
        5 when name.SequenceEqual("error"u8) => Seen.Error,
        6 when name.SequenceEqual("device"u8) => Seen.Device,
        6 when name.SequenceEqual("family"u8) => Seen.Family,
        6 when name.SequenceEqual("values"u8) => Seen.Values,
        7 when name.SequenceEqual("quality"u8) => Seen.Quality,
        7 when name.SequenceEqual("circuit"u8) => Seen.Circuit,
        _ => Seen.None,
    };

    private static void See(ref Seen seen, Seen property, int index)
    {
        if (property == Seen.None)
        {
            return;
        }

        if ((seen & property) != 0)
        {
            throw Malformed(Path(index, null), $"duplicate property '{property.ToString().ToLowerInvariant()}'");
        }

        seen |= property;
    }

    private static void Require(Seen seen, Seen required, int index)
    {
        if ((seen & required) != required)
        {
            throw Malformed(Path(index, null), $"missing required properties: {(required & ~seen).ToString().ToLowerInvariant()}");
        }
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, int index, string? property, string rule)
    {
        if (reader.TokenType != type)
        {
            throw Malformed(Path(index, property), $"{rule}, not {reader.TokenType}");
        }
    }

    /// <summary>Where in the payload a rule was broken, as System.Text.Json names it: <c>$.readings[3].ts</c>.</summary>
    private static string Path(int index, string? property) =>
        (index == Batch ? "$" : $"$.readings[{index}]") + (property is null ? string.Empty : "." + property);

    private static JsonException Malformed(string path, string message) => new(message, path, null, null);
}
