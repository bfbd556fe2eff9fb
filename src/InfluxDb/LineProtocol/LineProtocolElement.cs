namespace Telemetry.InfluxDb.LineProtocol;

/// <summary>The part of a line-protocol point that a value belongs to.</summary>
public enum LineProtocolElement
{
    /// <summary>The measurement name.</summary>
    Measurement,

    /// <summary>A tag key.</summary>
    TagKey,

    /// <summary>A tag value.</summary>
    TagValue,

    /// <summary>A field key.</summary>
    FieldKey,

    /// <summary>A field value.</summary>
    FieldValue,

    /// <summary>The field set as a whole (for example, when it is empty).</summary>
    FieldSet,

    /// <summary>The timestamp.</summary>
    Timestamp,
}
