using System.Buffers;

namespace Telemetry.InfluxDb.Writing;

/// <summary>
/// A finished body of line protocol, taken from a <see cref="PointBatchBuilder"/>. It owns a pooled buffer:
/// dispose it once the write has completed (successfully or not) and nothing reads <see cref="Body"/> any more.
/// Batches are independent of each other and of their builder, so several can be in flight at once.
/// </summary>
public sealed class LineProtocolBatch : IDisposable
{
    private readonly ArrayPool<byte> _pool;
    private byte[]? _buffer;

    internal LineProtocolBatch(byte[] buffer, int length, int pointCount, ArrayPool<byte> pool)
    {
        _buffer = buffer;
        ByteCount = length;
        PointCount = pointCount;
        _pool = pool;
    }

    /// <summary>The encoded points, one line each, UTF-8.</summary>
    /// <exception cref="ObjectDisposedException">The batch has been disposed.</exception>
    public ReadOnlyMemory<byte> Body
    {
        get
        {
            var buffer = _buffer;
            ObjectDisposedException.ThrowIf(buffer is null, this);
            return buffer.AsMemory(0, ByteCount);
        }
    }

    /// <summary>The number of points (lines) in the body.</summary>
    public int PointCount { get; }

    /// <summary>The size of the body in bytes.</summary>
    public int ByteCount { get; }

    /// <summary>Returns the buffer to the pool. Safe to call more than once.</summary>
    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
        {
            _pool.Return(buffer);
        }
    }
}
