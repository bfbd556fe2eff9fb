using System.Text;
using Telemetry.Contracts;

namespace Telemetry.Contracts.Validation;

/// <summary>Where a piece of UTF-8 text of a payload lies: in the payload itself, or unescaped into scratch memory.</summary>
public readonly record struct Utf8Slice(int Offset, int Length, bool Unescaped)
{
    public ReadOnlySpan<byte> In(ReadOnlySpan<byte> payload, ReadOnlySpan<byte> scratch) =>
        (Unescaped ? scratch : payload).Slice(Offset, Length);
}

/// <summary>
/// One value of a reading as read from a payload: its name, its value and, for a number, its text in the payload
/// (so that it can be written as it stands); not yet checked.
/// </summary>
public readonly record struct ParsedValue(Utf8Slice Name, ReadingValue Value, Utf8Slice Text = default);

/// <summary>
/// A <see cref="Reading"/> as read from its payload, without copying its text out: the spans point into the payload
/// (or, for text that had escapes, into scratch memory), so it is valid only while the message is being encoded.
/// </summary>
public readonly ref struct ParsedReading
{
    public ReadOnlySpan<byte> Payload { get; init; }

    public ReadOnlySpan<byte> Scratch { get; init; }

    public ReadOnlySpan<byte> Device { get; init; }

    public DeviceFamily Family { get; init; }

    public DateTimeOffset Ts { get; init; }

    public ReadingQuality Quality { get; init; }

    public bool HasCircuit { get; init; }

    public ReadOnlySpan<byte> Circuit { get; init; }

    public bool HasError { get; init; }

    public ReadOnlySpan<byte> Error { get; init; }

    /// <summary>False when the payload had no values, or <c>"values": null</c>.</summary>
    public bool HasValues { get; init; }

    public ReadOnlySpan<ParsedValue> Values { get; init; }

    public ReadOnlySpan<byte> Name(in ParsedValue value) => value.Name.In(Payload, Scratch);

    /// <summary>A number's text as the payload has it (empty for a Boolean).</summary>
    public ReadOnlySpan<byte> Text(in ParsedValue value) => value.Text.In(Payload, Scratch);

    /// <summary>The device as text, for messages (the rules have checked it is an identifier by then).</summary>
    public string DeviceText => Encoding.UTF8.GetString(Device);
}
