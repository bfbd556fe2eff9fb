namespace Telemetry.Devices.Profiles;

/// <summary>The rules a profile file must keep; each <see cref="ProfileError"/> names the one it broke.</summary>
public enum ProfileRule
{
    /// <summary>The file is not JSON of the profile's shape (syntax error, unknown property, wrong JSON type).</summary>
    MalformedJson,

    /// <summary>A required property is absent or empty.</summary>
    MissingField,

    /// <summary>A model id or point name is not lower snake_case (<c>^[a-z][a-z0-9]*(_[a-z0-9]+)*$</c>).</summary>
    InvalidName,

    /// <summary>The file name differs from the model id (<c>{model}.json</c>).</summary>
    FileNameMismatch,

    /// <summary>The family is none of the five product families.</summary>
    UnknownFamily,

    /// <summary>A link type is neither <c>tcp</c> nor <c>rtu</c>.</summary>
    UnknownLinkType,

    /// <summary>A table is none of <c>coil</c>, <c>discrete_input</c>, <c>holding</c>, <c>input</c>.</summary>
    UnknownTable,

    /// <summary>A data type is not one of the supported types.</summary>
    UnknownDataType,

    /// <summary>A word order is none of <c>ABCD</c>, <c>CDAB</c>, <c>BADC</c>, <c>DCBA</c>.</summary>
    UnknownWordOrder,

    /// <summary>A unit is not one of the contract's units.</summary>
    UnknownUnit,

    /// <summary>Read limits outside the protocol (registers 1-125, bits 1-2000, gaps not negative).</summary>
    InvalidLimits,

    /// <summary>Two points (or bits of bitfields) produce the same value name at the same level.</summary>
    DuplicateName,

    /// <summary>Two points of the same table share an address.</summary>
    OverlappingRegisters,

    /// <summary>A point (of some circuit) starts below 0 or ends beyond address 65535.</summary>
    AddressOutOfRange,

    /// <summary>A point is longer than one read of the device may be.</summary>
    PointExceedsReadLimit,

    /// <summary>The data type cannot live in the table: <c>bit</c> only in coils and discrete inputs, everything else only in registers.</summary>
    TypeNotAllowedInTable,

    /// <summary>A length is missing, zero or negative, or given where the type fixes it.</summary>
    InvalidLength,

    /// <summary>A point of a read-only table (input, discrete_input) is marked writable.</summary>
    WritableReadOnlyTable,

    /// <summary>The write range is empty (min greater than max) or lies outside what the type can hold.</summary>
    InvalidRange,

    /// <summary>Scale is zero, so no raw value can be recovered from an engineering value.</summary>
    ScaleZero,

    /// <summary>The unit and the name's suffix disagree (<c>voltage_v</c> needs <c>V</c>; a count has no suffix).</summary>
    UnitSuffixMismatch,

    /// <summary>A property that means nothing for the point's type or access (a unit on a bit, a range on a read-only point...).</summary>
    NotApplicable,

    /// <summary>The bitfield's bits are out of range, used twice, or its series name lacks <c>{n}</c>.</summary>
    InvalidBitfield,

    /// <summary>Labels whose keys are not whole numbers, or that the raw type cannot hold.</summary>
    InvalidLabels,

    /// <summary>A write function code that does not fit the table or the point's length.</summary>
    InvalidFunctionCode,

    /// <summary>A circuits block without a positive count, or without a stride for a table its points use.</summary>
    InvalidCircuits,

    /// <summary><c>owned_by</c> names something that is not a command action with a point of its own (any but <c>write</c>).</summary>
    InvalidOwner,
}
