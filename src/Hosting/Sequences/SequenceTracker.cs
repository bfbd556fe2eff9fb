namespace Telemetry.Hosting.Sequences;

/// <summary>
/// Which batch numbers (<c>seq</c>) of each gateway a consumer group has handled (stored by Ingest, judged by Rules), so
/// that it notices a batch the broker lost: every number below a gateway's floor is handled, and above it the handled
/// numbers are kept as ranges; what lies between them is a gap, timed from when the batch after it arrived. A gap open
/// longer than the grace time is asked of the gateway again (<see cref="DueGaps"/>); one the gateway no longer holds is
/// <see cref="Lost"/> and closed. A seq below the floor sent later than any batch seen means the gateway numbers anew
/// (its disk was replaced): the stream restarts from it, and what was still missing is returned as lost.
/// Thread-safe. Its state is small (a floor and a few ranges per gateway) and is saved with <see cref="Snapshot"/>.
/// </summary>
public sealed class SequenceTracker
{
    /// <summary>The most ranges kept above a floor: beyond that the oldest gap is given up as lost, so memory stays bounded.</summary>
    public const int MaxRanges = 4096;

    private readonly Lock _gate = new();
    private readonly Dictionary<GatewayStream, Stream> _streams = [];

    /// <summary>Gaps noticed, since start.</summary>
    public long GapsOpened { get; private set; }

    /// <summary>Batch numbers that arrived to fill a gap (late, or replayed).</summary>
    public long Recovered { get; private set; }

    /// <summary>Batch numbers given up: no longer held by their gateway, or left when it numbered anew.</summary>
    public long LostCount { get; private set; }

    /// <summary>Times a gateway began its numbering again.</summary>
    public long Restarts { get; private set; }

    /// <summary>Batch numbers that arrived again after they were handled.</summary>
    public long Duplicates { get; private set; }

    /// <summary>
    /// What <paramref name="seq"/>, sent at <paramref name="sent"/>, is; a new one is recorded as handled. On a restart of the
    /// gateway's numbering, or when too many ranges would be kept, <paramref name="lost"/> holds what will never come.
    /// </summary>
    public SequenceArrival Handle(GatewayStream stream, long seq, DateTimeOffset sent, DateTimeOffset now, out IReadOnlyList<SequenceRange> lost)
    {
        lost = [];
        lock (_gate)
        {
            if (!_streams.TryGetValue(stream, out var state))
            {
                // A gateway first seen: what it sent before this consumer began is not this consumer's to ask for.
                _streams[stream] = new Stream { Floor = seq, LastSent = sent };
                return SequenceArrival.New;
            }

            if (state.IsHandled(seq))
            {
                if (seq <= state.Floor && sent > state.LastSent && state.LastSent != default)
                {
                    lost = state.Missing();
                    LostCount += lost.Sum(r => r.Count);
                    Restarts++;
                    _streams[stream] = new Stream { Floor = seq, LastSent = sent };
                    return SequenceArrival.Restarted;
                }

                Duplicates++;
                return SequenceArrival.Seen;
            }

            if (seq < state.Highest)
            {
                Recovered++;
            }
            else if (seq > state.Highest + 1)
            {
                GapsOpened++;
                state.Opened.Add(new OpenedGap(new SequenceRange(state.Highest + 1, seq - 1), now));
            }

            state.Add(seq);
            if (sent > state.LastSent)
            {
                state.LastSent = sent;
            }

            if (state.Ranges.Count > MaxRanges)
            {
                var given = state.GiveUpOldest();
                LostCount += given.Count;
                lost = [given];
            }

            return SequenceArrival.New;
        }
    }

    /// <summary>Whether <paramref name="seq"/> of <paramref name="stream"/> has been handled.</summary>
    public bool IsHandled(GatewayStream stream, long seq)
    {
        lock (_gate)
        {
            return _streams.TryGetValue(stream, out var state) && state.IsHandled(seq);
        }
    }

    /// <summary>
    /// Whether batch <paramref name="seq"/>, sent at <paramref name="sent"/>, has been handled. A batch sent after every batch
    /// handled cannot be one of them, whatever its number: the gateway numbering anew, or a first number seen that was not
    /// the gateway's.
    /// </summary>
    public bool IsHandled(GatewayStream stream, long seq, DateTimeOffset sent)
    {
        lock (_gate)
        {
            return _streams.TryGetValue(stream, out var state) && state.IsHandled(seq) && !(sent > state.LastSent && seq <= state.Highest);
        }
    }

    /// <summary>
    /// The gaps open longer than <paramref name="grace"/> and not asked for within the last <paramref name="retry"/>, each
    /// at most <paramref name="maxCount"/> numbers long (a longer gap is asked for in parts); each is marked as asked now.
    /// </summary>
    public IReadOnlyList<SequenceGap> DueGaps(DateTimeOffset now, TimeSpan grace, TimeSpan retry, long maxCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        var due = new List<SequenceGap>();
        lock (_gate)
        {
            foreach (var (stream, state) in _streams)
            {
                foreach (var gap in state.Missing())
                {
                    var part = new SequenceRange(gap.First, Math.Min(gap.Last, gap.First + maxCount - 1));
                    var records = state.OpenedOver(part);
                    if (records.Count == 0)
                    {
                        // A gap restored without its history: timed from now.
                        state.Opened.Add(new OpenedGap(gap, now));
                        continue;
                    }

                    var since = records.Min(r => r.Since);
                    var asks = state.AsksOver(part);
                    if (now - since < grace || (asks.Count > 0 && now - asks.Max(a => a.At) < retry))
                    {
                        continue;
                    }

                    state.Asks.Add((part, now));
                    due.Add(new SequenceGap(stream, part, since, asks.Count + 1));
                }
            }
        }

        return due;
    }

    /// <summary>The gaps open now, oldest first per gateway.</summary>
    public IReadOnlyList<SequenceGap> OpenGaps()
    {
        lock (_gate)
        {
            return [.. _streams.SelectMany(s => s.Value.Missing().Select(g =>
            {
                var records = s.Value.OpenedOver(g);
                return new SequenceGap(s.Key, g, records.Count > 0 ? records.Min(r => r.Since) : default, s.Value.AsksOver(g).Count);
            }))];
        }
    }

    /// <summary>The gateway no longer holds <paramref name="range"/>: its missing numbers are closed as lost; returns how many were missing.</summary>
    public long Lost(GatewayStream stream, SequenceRange range)
    {
        var missing = Close(stream, range);
        lock (_gate)
        {
            LostCount += missing;
        }

        return missing;
    }

    /// <summary>
    /// <paramref name="range"/> was handled by another member of the consumer group (found in the shared store): its missing
    /// numbers are closed as handled; returns how many were missing.
    /// </summary>
    public long HandledElsewhere(GatewayStream stream, SequenceRange range) => Close(stream, range);

    /// <summary>
    /// The gateway has numbered no further than <paramref name="last"/>: numbers counted above it did not come from its
    /// numbering (a batch refused nowhere yet carrying a seq from elsewhere) and are forgotten, with the gaps below them, so
    /// that the gateway's real batches of those numbers are handled when they come. Returns how many were forgotten.
    /// </summary>
    public long Forget(GatewayStream stream, long last)
    {
        lock (_gate)
        {
            if (!_streams.TryGetValue(stream, out var state) || state.Highest <= last || state.Floor > last)
            {
                return 0;
            }

            var forgotten = 0L;
            for (var i = state.Ranges.Count - 1; i >= 0 && state.Ranges[i].Last > last; i--)
            {
                var range = state.Ranges[i];
                forgotten += range.Last - Math.Max(range.First, last + 1) + 1;
                if (range.First > last)
                {
                    state.Ranges.RemoveAt(i);
                }
                else
                {
                    state.Ranges[i] = new SequenceRange(range.First, last);
                }
            }

            state.Opened.RemoveAll(o => o.Range.First > state.Highest);
            for (var i = 0; i < state.Opened.Count; i++)
            {
                if (state.Opened[i].Range.Last > state.Highest)
                {
                    state.Opened[i] = state.Opened[i] with { Range = new SequenceRange(state.Opened[i].Range.First, state.Highest) };
                }
            }

            state.Asks.RemoveAll(a => a.Range.First > state.Highest);
            return forgotten;
        }
    }

    /// <summary>The numbers still missing within <paramref name="range"/>, as ranges.</summary>
    public IReadOnlyList<SequenceRange> MissingWithin(GatewayStream stream, SequenceRange range)
    {
        lock (_gate)
        {
            return _streams.TryGetValue(stream, out var state)
                ? [.. state.Missing().Select(g => Overlap(g, range)).OfType<SequenceRange>()]
                : [];
        }
    }

    private long Close(GatewayStream stream, SequenceRange range)
    {
        lock (_gate)
        {
            if (!_streams.TryGetValue(stream, out var state))
            {
                return 0;
            }

            var missing = state.Missing().Select(g => Overlap(g, range)).OfType<SequenceRange>().Sum(o => o.Count);
            if (range.First <= state.Highest)
            {
                state.Add(new SequenceRange(range.First, Math.Min(range.Last, state.Highest)));
            }

            return missing;
        }
    }

    /// <summary>The state to save: per gateway its floor, the handled ranges above it, the last sent time and when each gap opened.</summary>
    public TrackerSnapshot Snapshot()
    {
        lock (_gate)
        {
            return new TrackerSnapshot([.. _streams.Select(s => new StreamSnapshot(
                s.Key.Site,
                s.Key.Gateway,
                s.Value.Floor,
                s.Value.LastSent,
                [.. s.Value.Ranges.Select(r => new[] { r.First, r.Last })],
                [.. s.Value.Opened.Select(o => new OpenedSnapshot(o.Range.First, o.Range.Last, o.Since))]))]);
        }
    }

    /// <summary>A tracker with a saved state; ranges that overlap or lie below the floor are merged, so a damaged save cannot lose a number.</summary>
    public static SequenceTracker Restore(TrackerSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var tracker = new SequenceTracker();
        foreach (var saved in snapshot.Streams ?? [])
        {
            if (string.IsNullOrEmpty(saved.Site) || string.IsNullOrEmpty(saved.Gateway))
            {
                continue;
            }

            var state = new Stream { Floor = saved.Floor, LastSent = saved.LastSent };
            foreach (var range in saved.Ranges ?? [])
            {
                if (range is [var first, var last] && first <= last)
                {
                    state.Add(new SequenceRange(first, last));
                }
            }

            foreach (var opened in saved.Opened ?? [])
            {
                if (opened is not null && opened.First <= opened.Last)
                {
                    state.Opened.Add(new OpenedGap(new SequenceRange(opened.First, opened.Last), opened.Since));
                }
            }

            state.Prune();

            tracker._streams[new GatewayStream(saved.Site, saved.Gateway)] = state;
        }

        return tracker;
    }

    private static SequenceRange? Overlap(SequenceRange a, SequenceRange b) =>
        Math.Max(a.First, b.First) <= Math.Min(a.Last, b.Last) ? new SequenceRange(Math.Max(a.First, b.First), Math.Min(a.Last, b.Last)) : null;

    /// <summary>One gateway: every seq up to <see cref="Floor"/> handled; above it, handled ranges in order, none touching the floor or each other.</summary>
    private sealed class Stream
    {
        public long Floor { get; set; }

        public DateTimeOffset LastSent { get; set; }

        public List<SequenceRange> Ranges { get; } = [];

        /// <summary>The gaps as they were noticed, with when and how often they were asked for; what is left of each is still missing.</summary>
        public List<OpenedGap> Opened { get; } = [];

        /// <summary>The replays asked for, and when.</summary>
        public List<(SequenceRange Range, DateTimeOffset At)> Asks { get; } = [];

        public long Highest => Ranges.Count > 0 ? Ranges[^1].Last : Floor;

        public bool IsHandled(long seq) => seq <= Floor || IndexOf(seq) >= 0;

        public List<SequenceRange> Missing()
        {
            var gaps = new List<SequenceRange>(Ranges.Count);
            var next = Floor + 1;
            foreach (var range in Ranges)
            {
                if (range.First > next)
                {
                    gaps.Add(new SequenceRange(next, range.First - 1));
                }

                next = range.Last + 1;
            }

            return gaps;
        }

        public void Add(long seq) => Add(new SequenceRange(seq, seq));

        /// <summary>Marks <paramref name="range"/> handled, merging it with the ranges it overlaps or touches.</summary>
        public void Add(SequenceRange range)
        {
            if (range.Last <= Floor)
            {
                return;
            }

            var merged = new SequenceRange(Math.Max(range.First, Floor + 1), range.Last);
            var i = 0;
            while (i < Ranges.Count && Ranges[i].Last < merged.First - 1)
            {
                i++;
            }

            while (i < Ranges.Count && Ranges[i].First <= merged.Last + 1)
            {
                merged = new SequenceRange(Math.Min(merged.First, Ranges[i].First), Math.Max(merged.Last, Ranges[i].Last));
                Ranges.RemoveAt(i);
            }

            Ranges.Insert(i, merged);
            Settle();
        }

        /// <summary>The oldest gap given up (the floor moves over it); returns it.</summary>
        public SequenceRange GiveUpOldest()
        {
            var gap = Missing()[0];
            Floor = gap.Last;
            Settle();
            return gap;
        }

        /// <summary>Ranges that now touch the floor fold into it; the notes of gaps wholly filled go.</summary>
        private void Settle()
        {
            while (Ranges.Count > 0 && Ranges[0].First <= Floor + 1)
            {
                Floor = Math.Max(Floor, Ranges[0].Last);
                Ranges.RemoveAt(0);
            }

            Prune();
        }

        public void Prune()
        {
            Opened.RemoveAll(o => Covered(o.Range));
            Asks.RemoveAll(a => Covered(a.Range));
        }

        public List<OpenedGap> OpenedOver(SequenceRange range) => [.. Opened.Where(o => Overlaps(o.Range, range))];

        public List<(SequenceRange Range, DateTimeOffset At)> AsksOver(SequenceRange range) => [.. Asks.Where(a => Overlaps(a.Range, range))];

        /// <summary>Whether every number of <paramref name="range"/> is handled.</summary>
        private bool Covered(SequenceRange range) =>
            range.Last <= Floor || (IndexOf(Math.Max(range.First, Floor + 1)) is >= 0 and var i && Ranges[i].Last >= range.Last);

        private static bool Overlaps(SequenceRange a, SequenceRange b) => a.First <= b.Last && b.First <= a.Last;

        private int IndexOf(long seq)
        {
            var lo = 0;
            var hi = Ranges.Count - 1;
            while (lo <= hi)
            {
                var mid = (lo + hi) / 2;
                if (Ranges[mid].Last < seq)
                {
                    lo = mid + 1;
                }
                else if (Ranges[mid].First > seq)
                {
                    hi = mid - 1;
                }
                else
                {
                    return mid;
                }
            }

            return -1;
        }
    }
}

/// <summary>A gap as noticed: the numbers missing then, and when.</summary>
internal sealed record OpenedGap(SequenceRange Range, DateTimeOffset Since);

/// <summary>The saved form of a <see cref="SequenceTracker"/>.</summary>
public sealed record TrackerSnapshot(IReadOnlyList<StreamSnapshot>? Streams);

/// <summary>One gateway's saved state: handled ranges above the floor as [first, last] pairs, and the gaps as noticed.</summary>
public sealed record StreamSnapshot(string Site, string Gateway, long Floor, DateTimeOffset LastSent, IReadOnlyList<long[]>? Ranges, IReadOnlyList<OpenedSnapshot>? Opened);

/// <summary>A gap as noticed, saved.</summary>
public sealed record OpenedSnapshot(long First, long Last, DateTimeOffset Since);
