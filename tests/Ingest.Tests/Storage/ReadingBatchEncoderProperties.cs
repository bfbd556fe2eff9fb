using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Telemetry.Contracts;
using Telemetry.InfluxDb.Writing;
using Telemetry.Ingest.Storage;
using Telemetry.Contracts.Validation;

namespace Telemetry.Ingest.Tests.Storage;

/// <summary>
/// The one-pass encoder agrees with the record-based path it replaced: for any batch the same line protocol and
/// counts, and for any broken batch the same rejections (the same words too, except for malformed JSON, whose
/// wording was System.Text.Json's).
/// </summary>
public sealed class ReadingBatchEncoderProperties
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 19, 0, 10, 0, TimeSpan.Zero);
    private static readonly GatewayTopic Topic = new("north", "gw-1", GatewayTopicKind.Telemetry);

    // Small limits, so that generated batches reach them.
    private static readonly ValidationLimits Limits = new() { MaxReadingsPerBatch = 6, MaxValuesPerReading = 6, MaxTextLength = 40 };

    private static readonly string[] Families = ["high_mast", "street_controller", "distribution_box", "emergency_battery", "light_time_controller"];
    private static readonly string[] ValueNames = ["lamps_lit", "lamps_installed", "commanded_on", "voltage_v", "current_a", "power_kw", "energy_kwh", "leakage_ma", "insulation_mohm", "temperature_c", "ambient_lux", "runtime_min", "uptime_s", "power_factor", "door_open", "a", "x_v"];

    private static readonly Gen<bool> Rarely = Gen.Frequency((5, Gen.Constant(false)), (1, Gen.Constant(true)));

    private static readonly Gen<JsonText> Devices =
        from device in Gen.Elements("mast-07", "box-3", "c.1", "A_9", "x", "9", new string('d', 64))
        from escaped in Rarely
        select new JsonText(device, escaped);

    private static readonly Gen<string> NumberTexts = Gen.OneOf(
        Gen.Choose(-100_000, 100_000).Select(i => i.ToString(CultureInfo.InvariantCulture)),
        from mantissa in Gen.Choose(-1_000_000, 1_000_000)
        from exponent in Gen.Choose(-30, 30)
        select (mantissa * Math.Pow(10, exponent)).ToString("R", CultureInfo.InvariantCulture),
        Gen.Elements("230", "230.0", "2.3e2", "2.3E+2", "-0", "0.1", "1e-5", "9007199254740993", "-9223372036854775808", "99999999999999999999", "1.5e-400", "123456789012345678.5"));

    private static readonly Gen<Json> Values =
        Gen.Frequency(
            (6, NumberTexts.Select(t => (Json)new JsonRaw(t))),
            (1, Gen.Constant<Json>(new JsonRaw("true"))),
            (1, Gen.Constant<Json>(new JsonRaw("false"))));

    private static readonly Gen<JsonObject> ValueObjects =
        from names in Gen.SubListOf(ValueNames)
        from count in Gen.Choose(1, 5)
        from values in Gen.ListOf(Values, count)
        from escaped in Rarely
        select new JsonObject([.. names.Take(count).Select((name, i) => (new JsonText(name, escaped && i == 0), values[i]))]);

    private static readonly Gen<JsonText> ErrorTexts =
        from text in Gen.Elements("modbus timeout", "unit 3 said \"no\"", "back\\slash", "line\nfeed\tand tab", "é路😀", " x ", "a,b=c d", "éééééééééééééééééééééééééééééééééééééé")
        from escaped in Rarely
        select new JsonText(text, escaped);

    private static readonly Gen<JsonText> Times =
        from milliseconds in Gen.Choose(-3_600_000, 240_000)
        from format in Gen.Elements("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", "yyyy-MM-dd'T'HH:mm:ss.fffzzz")
        from offset in Gen.Elements(60, -330, 0)
        from escaped in Rarely
        let time = Now.AddMilliseconds(milliseconds)
        select new JsonText(
            format.EndsWith("zzz", StringComparison.Ordinal)
                ? time.ToOffset(TimeSpan.FromMinutes(offset)).ToString(format, CultureInfo.InvariantCulture)
                : time.UtcDateTime.ToString(format, CultureInfo.InvariantCulture),
            escaped);

    private static readonly Gen<Json> Unknowns = Gen.Elements<Json>(
        new JsonRaw("{\"nested\":[1,2,{\"a\":null}],\"s\":\"\\ud800\"}"),
        new JsonRaw("[]"),
        new JsonText("Mast-7"),
        new JsonRaw("-1.5e300"));

    private static readonly Gen<JsonObject> Readings =
        from device in Devices
        from family in Gen.Elements(Families)
        from familyEscaped in Rarely
        from ts in Times
        from quality in Gen.Frequency((4, Gen.Constant("")), (4, Gen.Constant("good")), (1, Gen.Constant("stale")), (2, Gen.Constant("error")))
        from circuit in Gen.Frequency((4, Gen.Constant<Json?>(null)), (1, Gen.Constant<Json?>(new JsonRaw("null"))), (1, Gen.Elements<Json?>(new JsonText("1"), new JsonText("c-2"))))
        from values in ValueObjects
        from error in ErrorTexts
        from unknown in Gen.Frequency((4, Gen.Constant<Json?>(null)), (1, Unknowns.Select(u => (Json?)u)))
        from order in Gen.ListOf(Gen.Choose(0, 1 << 20), 8)
        select Shuffle(
            [
                (new JsonText("device"), device),
                (new JsonText("family"), new JsonText(family, familyEscaped)),
                (new JsonText("ts"), ts),
                .. quality.Length == 0 ? [] : new[] { (new JsonText("quality"), (Json)new JsonText(quality)) },
                .. circuit is null ? [] : new[] { (new JsonText("circuit"), circuit) },
                .. quality == "error" ? new[] { (new JsonText("error"), (Json)error) } : [(new JsonText("values"), values)],
                .. unknown is null ? [] : new[] { (new JsonText("vendor_extra"), unknown) },
            ],
            order);

    /// <summary>Batches in the form gateways write them, which the encoder reads along its fast path.</summary>
    private static readonly Gen<JsonObject> GatewayFormBatches =
        from seq in Gen.Choose(0, int.MaxValue).Select(s => (long)s * 3)
        from sent in GatewayFormTimes
        from count in Gen.Choose(0, 5)
        from readings in Gen.ListOf(GatewayFormReadings, count)
        from order in Gen.ListOf(Gen.Choose(0, 1 << 20), 8)
        select Shuffle(
            [
                (new JsonText("v"), new JsonRaw("1")),
                (new JsonText("gateway"), new JsonText("gw-1")),
                (new JsonText("site"), new JsonText("north")),
                (new JsonText("seq"), new JsonRaw(seq.ToString(CultureInfo.InvariantCulture))),
                (new JsonText("sent"), sent),
                (new JsonText("readings"), new JsonArray([.. readings])),
            ],
            order);

    // Back to 2002 now and then, across leap days and month ends.
    private static Gen<JsonText> GatewayFormTimes =>
        from milliseconds in Gen.Choose(-3_600_000, 240_000)
        from days in Gen.Frequency((3, Gen.Constant(0)), (1, Gen.Choose(-9000, 0)))
        from format in Gen.Elements("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", "yyyy-MM-dd'T'HH:mm:ss'Z'")
        select new JsonText(Now.AddDays(days).AddMilliseconds(milliseconds).UtcDateTime.ToString(format, CultureInfo.InvariantCulture));

    private static Gen<JsonObject> GatewayFormReadings =>
        from device in Gen.Elements("mast-07", "box-3", "c.1", "A_9", "x", "9", new string('d', 64))
        from family in Gen.Elements(Families)
        from ts in GatewayFormTimes
        from quality in Gen.Frequency((4, Gen.Constant("")), (4, Gen.Constant("good")), (1, Gen.Constant("stale")), (2, Gen.Constant("error")))
        from circuit in Gen.Frequency((4, Gen.Constant<Json?>(null)), (1, Gen.Constant<Json?>(new JsonRaw("null"))), (1, Gen.Elements<Json?>(new JsonText("1"), new JsonText("c-2"))))
        // A gateway never sends a good reading without values: at least one name (an empty sublist made {} now and then).
        from names in Gen.SubListOf(ValueNames).Where(n => n.Count > 0)
        from count in Gen.Choose(1, 5)
        from values in Gen.ListOf(Values.Where(v => v is not JsonRaw { Text: var text } || IntegerDigits(text) <= 18), count)
        from error in Gen.Elements("modbus timeout", "unit 3 said no", " x ", "a,b=c d")
        from order in Gen.ListOf(Gen.Choose(0, 1 << 20), 8)
        select Shuffle(
            [
                (new JsonText("device"), new JsonText(device)),
                (new JsonText("family"), new JsonText(family)),
                (new JsonText("ts"), ts),
                .. quality.Length == 0 ? [] : new[] { (new JsonText("quality"), (Json)new JsonText(quality)) },
                .. circuit is null ? [] : new[] { (new JsonText("circuit"), circuit) },
                .. quality == "error"
                    ? new[] { (new JsonText("error"), (Json)new JsonText(error)) }
                    : [(new JsonText("values"), new JsonObject([.. names.Take(count).Select((name, i) => (new JsonText(name), values[i]))]))],
            ],
            order);

    private static int IntegerDigits(string number) => number.TrimStart('-').Split('.', 'e', 'E')[0].Length;

    private static readonly Gen<JsonObject> Batches = BatchesOf(Gen.Constant(true));

    private static readonly Gen<JsonObject> BatchesMaybeWithoutVersion = BatchesOf(Gen.Frequency((8, Gen.Constant(true)), (1, Gen.Constant(false))));

    private static Gen<JsonObject> BatchesOf(Gen<bool> versions) =>
        from seq in Gen.Choose(0, int.MaxValue).Select(s => (long)s * 3)
        from sent in Times
        from count in Gen.Choose(0, 5)
        from readings in Gen.ListOf(Readings, count)
        from unknown in Gen.Frequency((4, Gen.Constant<Json?>(null)), (1, Unknowns.Select(u => (Json?)u)))
        from order in Gen.ListOf(Gen.Choose(0, 1 << 20), 8)
        from version in versions
        select Shuffle(
            [
                .. version ? new[] { (new JsonText("v"), (Json)new JsonRaw("1")) } : [],
                (new JsonText("gateway"), new JsonText("gw-1")),
                (new JsonText("site"), new JsonText("north")),
                (new JsonText("seq"), new JsonRaw(seq.ToString(CultureInfo.InvariantCulture))),
                (new JsonText("sent"), sent),
                (new JsonText("readings"), new JsonArray([.. readings])),
                .. unknown is null ? [] : new[] { (new JsonText("note"), unknown) },
            ],
            order);

    private static readonly string Future = Now.AddMinutes(6).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>What can be wrong with a reading: its rules, its JSON, its text.</summary>
    private static readonly Func<JsonObject, JsonObject>[] ReadingFaults =
    [
        r => r.With("device", new JsonText(string.Empty)),
        r => r.With("device", new JsonText("a b")),
        r => r.With("device", new JsonText(new string('d', 65))),
        r => r.With("device", new JsonText("mäst")),
        r => r.With("device", new JsonRaw("null")),
        r => r.With("device", new JsonRaw("5")),
        r => r.With("device", new JsonText(string.Empty, Bytes: [0x6d, 0xC3, 0x28])),
        r => r.With("device", new JsonText("m\ud800", Escaped: true)),
        r => r.Without("device"),
        r => r.Without("family"),
        r => r.Without("ts"),
        r => r.Twice("device"),
        r => r.Twice("values"),
        r => r.Twice("family"),
        r => r.With("circuit", new JsonText(string.Empty)),
        r => r.With("circuit", new JsonText("c 1")),
        r => r.With("circuit", new JsonRaw("7")),
        r => r.With("ts", new JsonText("1999-12-31T23:59:59.999Z")),
        r => r.With("ts", new JsonText(Future)),
        r => r.With("ts", new JsonText("2026-11-22")),
        r => r.With("ts", new JsonText("yesterday")),
        r => r.With("ts", new JsonRaw("null")),
        r => r.With("ts", new JsonRaw("1795374004981")),
        r => r.With("family", new JsonText("HIGH_MAST")),
        r => r.With("family", new JsonText("HighMast")),
        r => r.With("family", new JsonRaw("1")),
        r => r.With("family", new JsonText("2")),
        r => r.With("family", new JsonText(" high_mast")),
        r => r.With("family", new JsonText("high_mast, distribution_box")),
        r => r.With("family", new JsonRaw("null")),
        r => r.With("family", new JsonRaw("1.0")),
        r => r.With("family", new JsonRaw("{}")),
        r => r.With("quality", new JsonText("error")),
        r => r.With("quality", new JsonText("Good")),
        r => r.With("quality", new JsonRaw("2")),
        r => r.With("quality", new JsonRaw("null")),
        r => r.With("quality", new JsonText("stale")).Without("error").With("values", new JsonRaw("null")),
        r => r.With("quality", new JsonText("good")).Without("error").Without("values"),
        r => r.With("quality", new JsonText("good")).Without("error").With("values", new JsonObject([])),
        r => r.With("quality", new JsonText("error")).Without("values").With("error", new JsonText(" \t\r\n")),
        r => r.With("quality", new JsonText("error")).Without("values").With("error", new JsonText("\u00a0\u2003")),
        r => r.With("quality", new JsonText("error")).Without("values").With("error", new JsonRaw("null")),
        r => r.With("quality", new JsonText("error")).Without("values").Without("error"),
        r => r.With("quality", new JsonText("error")).With("values", new JsonObject([])).With("error", new JsonText("x")),
        r => r.With("quality", new JsonText("error")).Without("values").With("error", new JsonText(new string('é', 41))),
        r => r.With("quality", new JsonText("error")).Without("values").With("error", new JsonText(new string('e', 41))),
        r => r.With("quality", new JsonText("error")).Without("values").With("error", new JsonText(string.Concat(Enumerable.Repeat("😀", 21)))),
        r => r.With("quality", new JsonText("error")).Without("values").With("error", new JsonText("a\ud800b", Escaped: true)),
        r => r.With("quality", new JsonText("error")).Without("values").With("error", new JsonText(string.Empty, Bytes: [0xff, 0x41])),
        r => r.With("error", new JsonRaw("3")),
        r => r.With("values", new JsonRaw("[]")),
        r => r.With("values", new JsonRaw("\"none\"")),
        r => r.With("values", Values1("Voltage", "1")),
        r => r.With("values", Values1("quality", "1")),
        r => r.With("values", Values1("error", "1")),
        r => r.With("values", Values1("time", "1")),
        r => r.With("values", Values1("9a", "1")),
        r => r.With("values", Values1("a-b", "1")),
        r => r.With("values", Values1(new string('v', 65), "1")),
        r => r.With("values", Values1("lamps_lit", "null")),
        r => r.With("values", Values1("lamps_lit", "\"1\"")),
        r => r.With("values", Values1("lamps_lit", "[]")),
        r => r.With("values", Values1("voltage_v", "1e400")),
        r => r.With("values", Values1("voltage_v", "-1e400")),
        r => r.With("values", new JsonObject([(new JsonText("a\ud800", Escaped: true), new JsonRaw("1"))])),
        r => r.With("values", new JsonObject([(new JsonText(string.Empty, Bytes: [0x61, 0xC3, 0x28]), new JsonRaw("1"))])),
        r => r.With("values", new JsonObject([(new JsonText("é"), new JsonRaw("1"))])),
        r => r.With("values", new JsonObject([(new JsonText("lamps_lit"), new JsonRaw("1")), (new JsonText("lamps_lit"), new JsonRaw("2"))])),
        r => r.With("values", new JsonObject([(new JsonText("a"), new JsonRaw("1")), (new JsonText("a", Escaped: true), new JsonRaw("2"))])),
        r => r.With("values", new JsonObject([(new JsonText("voltage_v", Escaped: true), new JsonRaw("230"))])),
        r => r.With("values", new JsonObject([.. Enumerable.Range(0, 7).Select(i => (new JsonText($"v{i}"), (Json)new JsonRaw("1")))])),
        r => r.With("values", new JsonObject([.. Enumerable.Range(0, 40).Select(i => (new JsonText($"v{i}"), (Json)new JsonRaw("1"))), (new JsonText("v39"), new JsonRaw("2"))])),
        r => r.With("values", new JsonObject([.. Enumerable.Range(0, 40).Select(i => (new JsonText($"v{i}"), (Json)new JsonRaw("1")))])),
        r => new JsonObject([.. r.Properties, (new JsonText("zz\ud800", Escaped: true), new JsonRaw("1"))]),
        r => new JsonObject([.. r.Properties, (new JsonText(string.Empty, Bytes: [0x7a, 0xC3, 0x28]), new JsonRaw("1"))]),
        r => new JsonObject([.. r.Properties, (new JsonText("zz"), new JsonText("\ud800", Escaped: true))]),
        r => new JsonObject([.. r.Properties, (new JsonText("zz"), new JsonRaw("1")), (new JsonText("zz"), new JsonRaw("2"))]),
        r => new JsonObject([.. r.Properties, (new JsonText("Device"), new JsonText("other"))]),
        r => new JsonObject([.. r.Without("device").Properties, (new JsonText("device", Escaped: true), new JsonText("mast-1"))]),
        r => new JsonObject([.. r.Properties, (new JsonText("zz"), new JsonRaw(new string('[', 13) + new string(']', 13)))]),
        r => new JsonObject([.. r.Properties, (new JsonText("zz"), new JsonRaw(new string('[', 14) + new string(']', 14)))]),
    ];

    /// <summary>What can be wrong with a batch as a whole.</summary>
    private static readonly Func<JsonObject, Json>[] BatchFaults =
    [
        b => b.With("v", new JsonRaw("2")),
        b => b.With("v", new JsonRaw("1.0")),
        b => b.With("v", new JsonRaw("null")),
        b => b.With("v", new JsonText("1")),
        b => b.With("v", new JsonRaw("4294967297")),
        b => b.Without("v"),
        b => b.Twice("v"),
        b => b.With("gateway", new JsonText("gw-2")),
        b => b.With("site", new JsonText("south")),
        b => b.With("site", new JsonText(new string('s', 70))),
        b => b.With("gateway", new JsonText("gw-1", Escaped: true)),
        b => b.With("gateway", new JsonRaw("null")),
        b => b.Without("gateway"),
        b => b.Without("site"),
        b => b.Without("seq"),
        b => b.Without("sent"),
        b => b.Without("readings"),
        b => b.Twice("seq"),
        b => b.Twice("readings"),
        b => b.With("seq", new JsonText("1")),
        b => b.With("seq", new JsonRaw("-7")),
        b => b.With("seq", new JsonRaw("1.5")),
        b => b.With("sent", new JsonText("1999-01-01T00:00:00Z")),
        b => b.With("sent", new JsonText(Future)),
        b => b.With("sent", new JsonRaw("null")),
        b => b.With("readings", new JsonRaw("null")),
        b => b.With("readings", new JsonObject([])),
        b => b.With("readings", new JsonArray([new JsonRaw("1")])),
        b => b.With("readings", new JsonArray([new JsonRaw("[]")])),
        b => b.With("readings", new JsonArray([.. Enumerable.Repeat(b["readings"] is JsonArray { Items.Count: > 0 } a ? a.Items[0] : new JsonObject([]), 7)])),
        _ => new JsonRaw("null"),
        _ => new JsonRaw("[]"),
        _ => new JsonRaw("\"batch\""),
        b => new JsonObject([(new JsonText("pad"), new JsonRaw(new string('[', 15) + new string(']', 15))), .. b.Properties]),
        b => new JsonObject([(new JsonText("pad"), new JsonRaw(new string('[', 16) + new string(']', 16))), .. b.Properties]),
    ];

    private static readonly Gen<Func<byte[], byte[]>> ByteFaults = Gen.OneOf(
        Gen.Choose(0, 10_000).Select<int, Func<byte[], byte[]>>(cut => bytes => bytes[..(cut % Math.Max(bytes.Length, 1))]),
        Gen.Elements<Func<byte[], byte[]>>(
            bytes => [.. bytes, .. "x"u8],
            bytes => [.. bytes, .. " \r\n\t"u8],
            bytes => [.. bytes, .. "{}"u8],
            bytes => [.. bytes, .. "//"u8],
            bytes => [0xEF, 0xBB, 0xBF, .. bytes],
            bytes => [.. " "u8, .. bytes],
            _ => []),
        from at in Gen.Choose(0, 10_000)
        from b in Gen.Elements<byte>((byte)'"', (byte)',', (byte)'}', (byte)']', (byte)':', 0x00, 0xff, (byte)'\\')
        select (Func<byte[], byte[]>)(bytes => [.. bytes[..(at % (bytes.Length + 1))], b, .. bytes[(at % (bytes.Length + 1))..]]));

    private static readonly Gen<Payload> Broken = Gen.Frequency(
        (4, from batch in BatchesMaybeWithoutVersion
            from faults in Gen.NonEmptyListOf(Gen.Zip(Gen.Elements(ReadingFaults), Gen.Choose(0, 100)))
            select new Payload(WithReadingFaults(batch, faults).ToUtf8())),
        (2, from batch in Batches
            from fault in Gen.Elements(BatchFaults)
            select new Payload(fault(batch).ToUtf8())),
        (2, from batch in Batches
            from fault in ByteFaults
            select new Payload(fault(batch.ToUtf8()))));

    [Property(MaxTest = 2000)]
    public Property Valid_batches_become_the_same_lines_as_through_the_records() =>
        Prop.ForAll(Batches.Select(b => new Payload(b.ToUtf8())).ToArbitrary(), payload =>
        {
            var (expected, actual) = Both(payload.Bytes);
            return (expected.Message.Rejections.Count == 0 && Same(expected, actual)).Label(Describe(expected, actual));
        });

    [Property(MaxTest = 2000)]
    public Property Batches_in_the_gateways_form_take_the_fast_path_to_the_same_lines() =>
        Prop.ForAll(GatewayFormBatches.Select(b => new Payload(b.ToUtf8())).ToArbitrary(), payload =>
        {
            var clock = new FixedClock(Now);
            var encoder = new ReadingBatchEncoder(new GatewayMessageValidator(Limits, clock));
            var expected = Run(builder => new RecordBasedEncoder(Limits, clock).Encode(Topic, payload.Bytes, builder));
            var actual = Run(builder => encoder.Encode(Topic, "north"u8, "gw-1"u8, payload.Bytes, builder));
            return (expected.Message.Rejections.Count == 0 && Same(expected, actual) && encoder.GeneralPathMessages == 0)
                .Label($"general path taken {encoder.GeneralPathMessages} times\n{Describe(expected, actual)}");
        });

    [Property(MaxTest = 4000)]
    public Property Broken_batches_are_refused_for_the_same_reasons_and_keep_the_same_good_readings() =>
        Prop.ForAll(Broken.ToArbitrary(), payload =>
        {
            var (expected, actual) = Both(payload.Bytes);
            return Same(expected, actual).Label(Describe(expected, actual));
        });

    [Fact]
    public void Broken_batches_reach_every_rule_of_a_reading_batch()
    {
        var reasons = Broken.Sample(3000).SelectMany(payload => Both(payload.Bytes).Expected.Message.Rejections).Select(r => r.Reason).ToHashSet();

        Assert.Superset(
            new HashSet<RejectionReason>
            {
                RejectionReason.MalformedJson, RejectionReason.UnknownVersion, RejectionReason.TopicMismatch, RejectionReason.InvalidIdentifier,
                RejectionReason.InvalidName, RejectionReason.TooMany, RejectionReason.TimestampOutOfRange, RejectionReason.InconsistentReading,
            },
            reasons);
    }

    private static (Outcome Expected, Outcome Actual) Both(byte[] payload)
    {
        var clock = new FixedClock(Now);
        var reference = new RecordBasedEncoder(Limits, clock);
        var encoder = new ReadingBatchEncoder(new GatewayMessageValidator(Limits, clock));
        return (
            Run(builder => reference.Encode(Topic, payload, builder)),
            Run(builder => encoder.Encode(Topic, "north"u8, "gw-1"u8, payload, builder)));
    }

    private static Outcome Run(Func<PointBatchBuilder, EncodedMessage> encode)
    {
        using var builder = new PointBatchBuilder();

        // A point from an earlier message, which a refusal must leave alone.
        builder.Add(new InfluxDb.LineProtocol.Point("earlier").Field("f", 1L));
        var message = encode(builder);
        using var batch = builder.TakeBatch();
        return new(message, Encoding.UTF8.GetString(batch.Body.Span), batch.PointCount);
    }

    private static bool Same(Outcome expected, Outcome actual) =>
        expected.Body == actual.Body
        && expected.Points == actual.Points
        && expected.Message.Points == actual.Message.Points
        && expected.Message.Readings == actual.Message.Readings
        && expected.Message.OldestReading == actual.Message.OldestReading
        && expected.Message.Rejections.Count == actual.Message.Rejections.Count
        && expected.Message.Rejections.Zip(actual.Message.Rejections).All(p =>
            p.First.Reason == p.Second.Reason && (p.First.Reason == RejectionReason.MalformedJson || p.First.Detail == p.Second.Detail));

    private static string Describe(Outcome expected, Outcome actual) =>
        $"records: {expected}\none pass: {actual}";

    private static JsonObject WithReadingFaults(JsonObject batch, IEnumerable<(Func<JsonObject, JsonObject> Fault, int Index)> faults)
    {
        if (batch["readings"] is not JsonArray { Items.Count: > 0 } readings)
        {
            return batch;
        }

        var items = readings.Items.ToList();
        foreach (var (fault, index) in faults)
        {
            var at = index % items.Count;
            items[at] = fault((JsonObject)items[at]);
        }

        return batch.With("readings", new JsonArray(items));
    }

    private static JsonObject Values1(string name, string value) => new([(new JsonText(name), new JsonRaw(value))]);

    private static JsonObject Shuffle(IReadOnlyList<(JsonText Name, Json Value)> properties, IList<int> order) =>
        new([.. properties.Select((p, i) => (p, Key: order[i % order.Count])).OrderBy(x => x.Key).Select(x => x.p)]);

    public sealed record Payload(byte[] Bytes)
    {
        public override string ToString() => Encoding.UTF8.GetString(Bytes);
    }

    private sealed record Outcome(EncodedMessage Message, string Body, int Points)
    {
        public override string ToString() =>
            $"{Message.Points} points, {Message.Readings} readings, oldest {Message.OldestReading:O}, rejections [{string.Join("; ", Message.Rejections)}]\n{Body}";
    }
}

/// <summary>A clock that stands still.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
