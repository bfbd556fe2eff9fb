using System.Buffers;
using Telemetry.InfluxDb.LineProtocol;

namespace Telemetry.InfluxDb.Writing;

/// <summary>
/// Accumulates encoded points into a pooled buffer until the batch is full by point count or by size, then
/// hands the finished body over as a <see cref="LineProtocolBatch"/>. Timing (linger) is the caller's:
/// take a batch whenever <see cref="IsFull"/> is true or the caller's timer fires and <see cref="IsEmpty"/> is false.
/// </summary>
/// <remarks>
/// For one consumer: not thread-safe. The batches it hands over are independent, so the consumer may keep
/// several writes in flight while it goes on adding points.
/// </remarks>
/// <example>
/// <code>
/// using var builder = new PointBatchBuilder(maxPoints: 5000, maxBytes: 1 &lt;&lt; 20);
/// builder.Add(point);
/// if (builder.IsFull)
/// {
///     using var batch = builder.TakeBatch();
///     await client.WriteAsync(batch.Body, cancellationToken);
/// }
/// </code>
/// </example>
public sealed class PointBatchBuilder : IDisposable
{
    /// <summary>The default <see cref="MaxPoints"/> (InfluxDB recommends batches of about 5000 points).</summary>
    public const int DefaultMaxPoints = 5000;

    /// <summary>The default <see cref="MaxBytes"/>: 1 MiB.</summary>
    public const int DefaultMaxBytes = 1 << 20;

    private const int LargestInitialBuffer = 4 << 20;

    private readonly ArrayPool<byte> _pool;
    private readonly PooledByteBufferWriter _buffer;
    private readonly int _initialCapacity;
    private bool _disposed;

    // The point being written through StartPoint: its number (so that a stale writer cannot touch a later point)
    // and where its line starts; -1 when none is open.
    private long _pointNumber;
    private int _openPointStart = -1;

    /// <summary>Creates an empty builder.</summary>
    /// <param name="maxPoints">The point count at which the batch is full.</param>
    /// <param name="maxBytes">The body size in bytes at which the batch is full.</param>
    /// <exception cref="ArgumentOutOfRangeException">A limit is not positive.</exception>
    public PointBatchBuilder(int maxPoints = DefaultMaxPoints, int maxBytes = DefaultMaxBytes)
        : this(maxPoints, maxBytes, ArrayPool<byte>.Shared)
    {
    }

    internal PointBatchBuilder(int maxPoints, int maxBytes, ArrayPool<byte> pool)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPoints);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        MaxPoints = maxPoints;
        MaxBytes = maxBytes;
        _pool = pool;
        _initialCapacity = (int)Math.Min((long)maxBytes + (maxBytes / 8) + 4096, LargestInitialBuffer);
        _buffer = new PooledByteBufferWriter(_initialCapacity, pool);
    }

    /// <summary>The point count at which <see cref="IsFull"/> becomes true.</summary>
    public int MaxPoints { get; }

    /// <summary>The body size at which <see cref="IsFull"/> becomes true. A batch exceeds it by less than one line,
    /// or by a single point that is alone larger than this.</summary>
    public int MaxBytes { get; }

    /// <summary>The number of points in the batch being built.</summary>
    public int PointCount { get; private set; }

    /// <summary>The size in bytes of the batch being built (without a point still being written).</summary>
    public int ByteCount => _openPointStart >= 0 ? _openPointStart : _buffer.WrittenCount;

    /// <summary>Where the batch being built ends now: pass it to <see cref="RollBack"/> to drop what is added after.</summary>
    public BatchPosition Position => new(ByteCount, PointCount);

    /// <summary>Whether the batch being built has no point.</summary>
    public bool IsEmpty => PointCount == 0;

    /// <summary>Whether the batch has reached <see cref="MaxPoints"/> or <see cref="MaxBytes"/>: take it now.</summary>
    public bool IsFull => PointCount >= MaxPoints || ByteCount >= MaxBytes;

    /// <summary>Encodes a point into the batch. The point may be reused (<see cref="Point.Reset"/>) right after.</summary>
    /// <param name="point">The point.</param>
    /// <exception cref="InfluxValueException">The point cannot be written; the batch is unchanged.</exception>
    /// <exception cref="ObjectDisposedException">The builder has been disposed.</exception>
    public void Add(Point point)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        DropOpenPoint();
        LineProtocolEncoder.Write(_buffer, point);
        PointCount++;
    }

    /// <summary>
    /// Starts a point written straight from UTF-8 (no <see cref="Point"/>, no strings); add its tags and fields to
    /// the writer and end it. A point started and not ended is dropped by the next call that changes the batch.
    /// </summary>
    /// <param name="measurement">The measurement name, UTF-8.</param>
    /// <returns>The writer of the point.</returns>
    /// <exception cref="InfluxValueException">The measurement cannot be written; the batch is unchanged.</exception>
    /// <exception cref="ObjectDisposedException">The builder has been disposed.</exception>
    public Utf8PointWriter StartPoint(ReadOnlySpan<byte> measurement)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        DropOpenPoint();
        _openPointStart = _buffer.WrittenCount;
        var writer = new Utf8PointWriter(this, measurement, ++_pointNumber);
        writer.WriteMeasurement();
        return writer;
    }

    /// <summary>Drops every point added after <paramref name="position"/> (a point being written too), as when a
    /// message turns out to be refused after some of its points were added.</summary>
    /// <param name="position">A <see cref="Position"/> of the batch being built, taken since the last <see cref="TakeBatch"/> or <see cref="Clear"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">The position lies beyond the end of the batch.</exception>
    /// <exception cref="ObjectDisposedException">The builder has been disposed.</exception>
    public void RollBack(BatchPosition position)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        DropOpenPoint();
        if (position.ByteCount < 0 || position.PointCount < 0 || position.ByteCount > ByteCount || position.PointCount > PointCount)
        {
            throw new ArgumentOutOfRangeException(nameof(position), position, $"The batch holds {PointCount} points in {ByteCount} bytes.");
        }

        _buffer.Truncate(position.ByteCount);
        PointCount = position.PointCount;
    }

    /// <summary>Hands the finished body over and starts a new, empty batch.</summary>
    /// <returns>The batch; the caller owns it and must dispose it.</returns>
    /// <exception cref="InvalidOperationException">The batch is empty (check <see cref="IsEmpty"/>).</exception>
    /// <exception cref="ObjectDisposedException">The builder has been disposed.</exception>
    public LineProtocolBatch TakeBatch()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        DropOpenPoint();
        if (IsEmpty)
        {
            throw new InvalidOperationException("The batch is empty.");
        }

        var length = _buffer.WrittenCount;
        var batch = new LineProtocolBatch(_buffer.Detach(_initialCapacity), length, PointCount, _pool);
        PointCount = 0;
        return batch;
    }

    /// <summary>Drops the points of the batch being built.</summary>
    public void Clear()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _openPointStart = -1;
        _buffer.Clear();
        PointCount = 0;
    }

    /// <summary>Returns the buffer of the batch being built to the pool (batches already taken are not affected).</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _openPointStart = -1;
            _buffer.Dispose();
            PointCount = 0;
        }
    }

    /// <summary>The buffer to write the open point <paramref name="point"/> into.</summary>
    /// <exception cref="InvalidOperationException">That point has been ended or dropped.</exception>
    internal PooledByteBufferWriter OpenPoint(long point)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (point != _pointNumber || _openPointStart < 0)
        {
            throw new InvalidOperationException("The point has been ended or dropped.");
        }

        return _buffer;
    }

    internal void EndPoint(long point)
    {
        if (point == _pointNumber && _openPointStart >= 0)
        {
            _openPointStart = -1;
            PointCount++;
        }
    }

    internal void DropPoint(long point)
    {
        if (point == _pointNumber)
        {
            DropOpenPoint();
        }
    }

    private void DropOpenPoint()
    {
        if (_openPointStart >= 0)
        {
            _buffer.Truncate(_openPointStart);
            _openPointStart = -1;
        }
    }
}

/// <summary>A place in the batch being built by a <see cref="PointBatchBuilder"/>, to roll back to.</summary>
/// <param name="ByteCount">The size of the batch in bytes at that place.</param>
/// <param name="PointCount">The number of points in the batch at that place.</param>
public readonly record struct BatchPosition(int ByteCount, int PointCount);
