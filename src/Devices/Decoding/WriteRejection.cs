using Telemetry.Devices.Profiles;

namespace Telemetry.Devices.Decoding;

/// <summary>Why a command value cannot be written.</summary>
public enum WriteRejectionReason
{
    /// <summary>The profile has no such point (name and circuit).</summary>
    UnknownPoint,

    /// <summary>The point is read-only.</summary>
    NotWritable,

    /// <summary>The value's kind does not fit the point (text for a number, a number for a string...).</summary>
    WrongValueType,

    /// <summary>The point accepts only its labelled values, and this is none of them.</summary>
    NotAllowed,

    /// <summary>The value is outside the point's min/max or what its registers can hold.</summary>
    OutOfRange,

    /// <summary>The value falls between two raw values (not a whole multiple of the scale).</summary>
    NotRepresentable,
}

/// <summary>A command value that was refused before reaching the device.</summary>
/// <param name="Point">The point named (its name and circuit), as given.</param>
/// <param name="Circuit">The circuit named, if any.</param>
/// <param name="Reason">The rule the value broke.</param>
/// <param name="Detail">What exactly is wrong, for people.</param>
public sealed record WriteRejection(string Point, int? Circuit, WriteRejectionReason Reason, string Detail)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"point '{Point}'{(Circuit is { } c ? $" (circuit {c})" : "")}: {Detail} [{Reason}]";
}

/// <summary>A command value was refused; see <see cref="Rejection"/>.</summary>
public sealed class WriteRejectedException : Exception
{
    /// <summary>Creates the exception for a rejection.</summary>
    public WriteRejectedException(WriteRejection rejection)
        : base(rejection?.ToString())
    {
        Rejection = rejection ?? throw new ArgumentNullException(nameof(rejection));
    }

    /// <summary>What was refused and why.</summary>
    public WriteRejection Rejection { get; }
}
