using System.Threading.Channels;
using Telemetry.Maintenance.Tickets;

namespace Telemetry.Api.Live;

/// <summary>A change of a gateway's or a device's status, numbered by this process.</summary>
public sealed record StatusChange(long Seq, string Kind, string Site, string Gateway, string? Device, string State, string? Quality, DateTimeOffset At);

/// <summary>One event for the stream: a ticket change (from the durable feed) or a status change (from the ring).</summary>
public sealed record LiveEvent(TicketChange? Ticket, StatusChange? Status);

/// <summary>
/// The one source of the event stream, fanned out to every client: ticket changes as the feed follower reads them
/// (one reader of the database, whatever the number of clients) and status changes numbered into a bounded ring, so
/// that a client that reconnects finds what it missed while the ring still holds it. A client that does not keep up
/// is let go (its queue full), never waited for: it reconnects with its last event id and catches up.
/// </summary>
public sealed class LiveEvents(long firstStatusSeq, int statusCapacity = LiveEvents.DefaultStatusCapacity, int clientQueue = LiveEvents.DefaultClientQueue)
{
    public const int DefaultStatusCapacity = 10_000;
    public const int DefaultClientQueue = 1_000;

    private readonly Lock _gate = new();
    private readonly StatusChange?[] _ring = new StatusChange?[statusCapacity];
    private readonly List<Channel<LiveEvent>> _clients = [];
    private readonly long _firstStatusSeq = firstStatusSeq;
    private long _statusSeq = firstStatusSeq;
    private long _ticketSeq;

    /// <summary>
    /// Status changes are numbered from the start time in microseconds, so that the numbers of a process before a
    /// restart lie below every number of this one and a client resuming across a restart gets a reset, not a gap.
    /// </summary>
    public static long FirstStatusSeqAt(DateTimeOffset start) => start.ToUnixTimeMilliseconds() * 1000;

    /// <summary>The newest ticket change followed and the newest status change numbered.</summary>
    public (long Ticket, long Status) Cursor
    {
        get
        {
            lock (_gate)
            {
                return (_ticketSeq, _statusSeq);
            }
        }
    }

    public int Clients
    {
        get
        {
            lock (_gate)
            {
                return _clients.Count;
            }
        }
    }

    /// <summary>
    /// A queue of every event after <paramref name="cursor"/>, the cursor as it is now (taken together, so nothing
    /// falls between them); completed when the client falls too far behind.
    /// </summary>
    public ChannelReader<LiveEvent> Subscribe(out (long Ticket, long Status) cursor)
    {
        var channel = Channel.CreateBounded<LiveEvent>(new BoundedChannelOptions(clientQueue) { SingleReader = true, SingleWriter = false });
        lock (_gate)
        {
            _clients.Add(channel);
            cursor = (_ticketSeq, _statusSeq);
        }

        return channel.Reader;
    }

    public void Unsubscribe(ChannelReader<LiveEvent> client)
    {
        lock (_gate)
        {
            _clients.RemoveAll(c => c.Reader == client);
        }
    }

    /// <summary>Where the follower starts: the feed's newest change when the process started.</summary>
    public void StartTicketsAt(long seq)
    {
        lock (_gate)
        {
            _ticketSeq = Math.Max(_ticketSeq, seq);
        }
    }

    public void Publish(TicketChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_gate)
        {
            _ticketSeq = Math.Max(_ticketSeq, change.Seq);
            Send(new LiveEvent(change, null));
        }
    }

    /// <summary>Numbers a status change, keeps it in the ring and sends it.</summary>
    public StatusChange Publish(string kind, string site, string gateway, string? device, string state, string? quality, DateTimeOffset at)
    {
        lock (_gate)
        {
            var change = new StatusChange(++_statusSeq, kind, site, gateway, device, state, quality, at);
            _ring[change.Seq % _ring.Length] = change;
            Send(new LiveEvent(null, change));
            return change;
        }
    }

    /// <summary>The status changes after <paramref name="seq"/>; null when the ring no longer holds them all (or never gave <paramref name="seq"/>: another process).</summary>
    public IReadOnlyList<StatusChange>? StatusAfter(long seq)
    {
        lock (_gate)
        {
            if (seq < _firstStatusSeq || seq > _statusSeq || seq < _statusSeq - _ring.Length)
            {
                return null;
            }

            var missed = new List<StatusChange>((int)(_statusSeq - seq));
            for (var s = seq + 1; s <= _statusSeq; s++)
            {
                missed.Add(_ring[s % _ring.Length]!);
            }

            return missed;
        }
    }

    private void Send(LiveEvent live)
    {
        for (var i = _clients.Count - 1; i >= 0; i--)
        {
            if (!_clients[i].Writer.TryWrite(live))
            {
                // Too slow: let go, so that it reconnects and resumes from its last id instead of holding the others.
                _clients[i].Writer.TryComplete();
                _clients.RemoveAt(i);
            }
        }
    }
}
