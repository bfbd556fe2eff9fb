namespace Telemetry.InfluxDb.LineProtocol;

/// <summary>
/// One point to write: a measurement, tags, fields and an optional timestamp (millisecond precision).
/// Built fluently and cheaply (two small arrays, no strings are copied or escaped until it is encoded);
/// a point may be reused with <see cref="Reset"/> once it has been encoded.
/// </summary>
/// <remarks>
/// Nothing is validated while building: <see cref="LineProtocolEncoder"/> checks the whole point when it
/// encodes it and throws <see cref="InfluxValueException"/> naming the offending part. Tags are kept sorted
/// by key (UTF-8 byte order, as InfluxDB recommends). Setting a tag or field key again replaces its value.
/// A tag whose value is null or empty is kept here but left out of the encoded line (InfluxDB forbids
/// empty tag values).
/// </remarks>
/// <example>
/// <code>
/// var point = new Point("weather")
///     .Tag("station", "north-1")
///     .Field("temperature", 21.5)
///     .Field("samples", 12L)
///     .Timestamp(DateTimeOffset.UtcNow);
/// </code>
/// </example>
public sealed class Point
{
    private const int InitialCapacity = 4;

    private KeyValuePair<string, string?>[] _tags = [];
    private int _tagCount;
    private KeyValuePair<string, FieldValue>[] _fields = [];
    private int _fieldCount;

    /// <summary>Starts a point of the given measurement.</summary>
    /// <param name="measurement">The measurement name.</param>
    /// <exception cref="ArgumentNullException"><paramref name="measurement"/> is null.</exception>
    public Point(string measurement)
    {
        ArgumentNullException.ThrowIfNull(measurement);
        Measurement = measurement;
    }

    /// <summary>The measurement name.</summary>
    public string Measurement { get; private set; }

    /// <summary>The timestamp in milliseconds since the Unix epoch, or null to let the server stamp the point.</summary>
    public long? UnixMilliseconds { get; private set; }

    /// <summary>The number of tags (including those with empty values, which are not written).</summary>
    public int TagCount => _tagCount;

    /// <summary>The number of fields.</summary>
    public int FieldCount => _fieldCount;

    /// <summary>The tags, sorted by key.</summary>
    public ReadOnlySpan<KeyValuePair<string, string?>> Tags => _tags.AsSpan(0, _tagCount);

    /// <summary>The fields, in the order they were first set.</summary>
    public ReadOnlySpan<KeyValuePair<string, FieldValue>> Fields => _fields.AsSpan(0, _fieldCount);

    /// <summary>Sets a tag; a null or empty value means "no tag" (it is not written).</summary>
    /// <param name="key">The tag key.</param>
    /// <param name="value">The tag value.</param>
    /// <returns>This point.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    public Point Tag(string key, string? value)
    {
        ArgumentNullException.ThrowIfNull(key);
        var low = 0;
        var high = _tagCount - 1;
        while (low <= high)
        {
            var middle = (low + high) >>> 1;
            var order = Utf8Order.Compare(_tags[middle].Key, key);
            if (order == 0)
            {
                _tags[middle] = new(key, value);
                return this;
            }

            if (order < 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        if (_tagCount == _tags.Length)
        {
            Array.Resize(ref _tags, Math.Max(InitialCapacity, _tags.Length * 2));
        }

        Array.Copy(_tags, low, _tags, low + 1, _tagCount - low);
        _tags[low] = new(key, value);
        _tagCount++;
        return this;
    }

    /// <summary>Sets a float field.</summary>
    /// <param name="key">The field key.</param>
    /// <param name="value">The value; NaN and infinities are rejected when the point is encoded.</param>
    /// <returns>This point.</returns>
    public Point Field(string key, double value) => Field(key, FieldValue.Float(value));

    /// <summary>Sets an integer field (written with the <c>i</c> suffix).</summary>
    /// <param name="key">The field key.</param>
    /// <param name="value">The value.</param>
    /// <returns>This point.</returns>
    public Point Field(string key, long value) => Field(key, FieldValue.Integer(value));

    /// <summary>Sets a Boolean field.</summary>
    /// <param name="key">The field key.</param>
    /// <param name="value">The value.</param>
    /// <returns>This point.</returns>
    public Point Field(string key, bool value) => Field(key, FieldValue.Boolean(value));

    /// <summary>Sets a string field.</summary>
    /// <param name="key">The field key.</param>
    /// <param name="value">The value (not null).</param>
    /// <returns>This point.</returns>
    public Point Field(string key, string value) => Field(key, FieldValue.String(value));

    /// <summary>Sets a field.</summary>
    /// <param name="key">The field key.</param>
    /// <param name="value">The value.</param>
    /// <returns>This point.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    public Point Field(string key, FieldValue value)
    {
        ArgumentNullException.ThrowIfNull(key);
        for (var i = 0; i < _fieldCount; i++)
        {
            if (string.Equals(_fields[i].Key, key, StringComparison.Ordinal))
            {
                _fields[i] = new(key, value);
                return this;
            }
        }

        if (_fieldCount == _fields.Length)
        {
            Array.Resize(ref _fields, Math.Max(InitialCapacity, _fields.Length * 2));
        }

        _fields[_fieldCount++] = new(key, value);
        return this;
    }

    /// <summary>Sets the timestamp (truncated to the millisecond).</summary>
    /// <param name="timestamp">The time of the point.</param>
    /// <returns>This point.</returns>
    public Point Timestamp(DateTimeOffset timestamp) => Timestamp(timestamp.ToUnixTimeMilliseconds());

    /// <summary>Sets the timestamp.</summary>
    /// <param name="unixMilliseconds">Milliseconds since the Unix epoch; InfluxDB accepts
    /// <see cref="LineProtocolEncoder.MinUnixMilliseconds"/> to <see cref="LineProtocolEncoder.MaxUnixMilliseconds"/>.</param>
    /// <returns>This point.</returns>
    public Point Timestamp(long unixMilliseconds)
    {
        UnixMilliseconds = unixMilliseconds;
        return this;
    }

    /// <summary>Removes the timestamp, so the server stamps the point when it receives it.</summary>
    /// <returns>This point.</returns>
    public Point ClearTimestamp()
    {
        UnixMilliseconds = null;
        return this;
    }

    /// <summary>Empties the point for reuse, keeping its storage.</summary>
    /// <param name="measurement">The new measurement name.</param>
    /// <returns>This point.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="measurement"/> is null.</exception>
    public Point Reset(string measurement)
    {
        ArgumentNullException.ThrowIfNull(measurement);
        Measurement = measurement;
        Array.Clear(_tags, 0, _tagCount);
        Array.Clear(_fields, 0, _fieldCount);
        _tagCount = 0;
        _fieldCount = 0;
        UnixMilliseconds = null;
        return this;
    }

    /// <summary>The point as one line of line protocol (allocates; for diagnostics and tests).</summary>
    /// <returns>The line without its final newline, or a description of why it cannot be encoded.</returns>
    public override string ToString()
    {
        try
        {
            return LineProtocolEncoder.ToLine(this);
        }
        catch (InfluxValueException exception)
        {
            return $"{Measurement} (invalid: {exception.Message})";
        }
    }
}
