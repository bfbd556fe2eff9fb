namespace Telemetry.InfluxDb.LineProtocol;

/// <summary>
/// A point cannot be written as line protocol: a NaN or infinite float, an empty field set, a name that
/// line protocol cannot carry (see <see cref="LineProtocolEncoder"/>), a timestamp out of InfluxDB's range...
/// Nothing of the point has been written when this is thrown.
/// </summary>
public sealed class InfluxValueException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="measurement">The measurement of the point.</param>
    /// <param name="element">The part of the point at fault.</param>
    /// <param name="key">The tag or field key at fault, if any.</param>
    /// <param name="reason">Why the value cannot be written.</param>
    public InfluxValueException(string measurement, LineProtocolElement element, string? key, string reason)
        : base(Describe(measurement, element, key, reason))
    {
        Measurement = measurement;
        Element = element;
        Key = key;
        Reason = reason;
    }

    /// <summary>The measurement of the point that could not be encoded.</summary>
    public string Measurement { get; }

    /// <summary>The part of the point at fault.</summary>
    public LineProtocolElement Element { get; }

    /// <summary>The tag key or field key at fault (for tag and field errors), otherwise null.</summary>
    public string? Key { get; }

    /// <summary>Why the value cannot be written, without the point's context.</summary>
    public string Reason { get; }

    private static string Describe(string measurement, LineProtocolElement element, string? key, string reason)
    {
        var where = element switch
        {
            LineProtocolElement.Measurement => "measurement name",
            LineProtocolElement.TagKey => $"tag key \"{key}\"",
            LineProtocolElement.TagValue => $"value of tag \"{key}\"",
            LineProtocolElement.FieldKey => $"field key \"{key}\"",
            LineProtocolElement.FieldValue => $"field \"{key}\"",
            LineProtocolElement.FieldSet => "field set",
            _ => "timestamp",
        };
        return $"Cannot write a point of measurement \"{measurement}\" to InfluxDB: the {where} {reason}.";
    }
}
