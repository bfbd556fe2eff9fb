namespace Telemetry.Devices.Sites;

/// <summary>The rules a site file must keep; each <see cref="SiteError"/> names the one it broke.</summary>
public enum SiteRule
{
    /// <summary>The file is not JSON of the site's shape (syntax error, unknown property, wrong JSON type).</summary>
    MalformedJson,

    /// <summary>A required property is absent or empty.</summary>
    MissingField,

    /// <summary>A site, gateway, link, device or crew id breaks the identifier rule (<see cref="Telemetry.Contracts.Identifiers.Rule"/>).</summary>
    InvalidIdentifier,

    /// <summary>Two gateways, two links of one gateway, or two devices of the site share an id.</summary>
    DuplicateId,

    /// <summary>The time zone is not a known IANA time zone id.</summary>
    UnknownTimeZone,

    /// <summary>A latitude outside -90..90 or a longitude outside -180..180.</summary>
    InvalidCoordinates,

    /// <summary>A host name is empty or holds characters no host name has.</summary>
    InvalidHost,

    /// <summary>A TCP port outside 1..65535.</summary>
    InvalidPort,

    /// <summary>Two properties that exclude each other are both given (<c>password</c> and <c>password_env</c>, <c>tcp</c> and <c>rtu</c>), or one needs the other (a client certificate without its key).</summary>
    ConflictingFields,

    /// <summary>A link is neither <c>tcp</c> nor <c>rtu</c>.</summary>
    MissingLinkType,

    /// <summary>Two links of one gateway reach the same TCP endpoint or serial device.</summary>
    DuplicateEndpoint,

    /// <summary>A baud rate the serial driver does not know.</summary>
    InvalidBaudRate,

    /// <summary>Parity, data bits or stop bits outside what a serial line supports.</summary>
    InvalidSerialFraming,

    /// <summary>RS-485 settings outside their ranges (RTS mode, RTS delay).</summary>
    InvalidRs485,

    /// <summary>A response, byte or inter-frame timeout outside its range.</summary>
    InvalidTimeout,

    /// <summary>The device's family is none of the five product families.</summary>
    UnknownFamily,

    /// <summary>The device names a profile (model id) that <c>hardware/profiles</c> does not hold.</summary>
    UnknownProfile,

    /// <summary>The device's family differs from its profile's family.</summary>
    FamilyMismatch,

    /// <summary>The device names a link its gateway does not have.</summary>
    UnknownLink,

    /// <summary>The profile cannot be reached on the link's type (a TCP-only model on an RS-485 bus).</summary>
    LinkTypeNotSupported,

    /// <summary>A unit id outside 1..247.</summary>
    UnitIdOutOfRange,

    /// <summary>Two devices of one link share a unit id.</summary>
    DuplicateUnitId,

    /// <summary>A poll interval outside 1..3600 seconds.</summary>
    PollIntervalOutOfRange,

    /// <summary>A lamp count below 0, above what the profile can sense, or a lighting device without lamps.</summary>
    InvalidLampCount,

    /// <summary>Device and circuit lamp counts disagree (the device's count must be the sum of its circuits').</summary>
    LampCountMismatch,

    /// <summary>A circuit number the profile does not have, given twice, or circuits on a profile without circuits.</summary>
    InvalidCircuit,

    /// <summary>A crew zone none of <c>inner</c>, <c>second</c>, <c>third</c>, <c>town</c>, <c>contract</c>.</summary>
    UnknownCrewZone,

    /// <summary>An environment variable name that is not a portable one (letters, digits, '_', not starting with a digit).</summary>
    InvalidEnvironmentVariable,

    /// <summary>A file or serial device path that cannot name a file (it holds a NUL character).</summary>
    InvalidPath,

    /// <summary>A holiday without a name, with a date that is not <c>yyyy-MM-dd</c>, ending before it starts, or overlapping another.</summary>
    InvalidHoliday,

    /// <summary>A commissioning or warranty date that is not <c>yyyy-MM-dd</c>, or a warranty ending before the device was commissioned.</summary>
    InvalidAssetDate,

    /// <summary>A serial number that is blank, longer than 64 characters or holds control characters.</summary>
    InvalidSerial,

    /// <summary>The emergency tests' window is not two <c>HH:mm</c> times (up to <c>24:00</c>) with the start before the end.</summary>
    InvalidTestWindow,

    /// <summary>A group's occupied hours: a day none of mon..sun, no days, a time not <c>HH:mm</c>, or the start not before the end.</summary>
    InvalidOccupancy,

    /// <summary>A <c>max_share_discharging</c> outside 0 (exclusive) to 1.</summary>
    InvalidDischargeShare,

    /// <summary>A test interval outside 1..1100 days, intervals out of order (function, one-hour, full duration), or a recharge time outside 0..168 h.</summary>
    InvalidTestInterval,

    /// <summary>The emergency tests name a group no emergency unit of the site belongs to.</summary>
    UnknownGroup,
}
