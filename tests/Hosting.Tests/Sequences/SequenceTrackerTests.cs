using System.Text.Json;
using Telemetry.Hosting.Sequences;

namespace Telemetry.Hosting.Tests.Sequences;

public sealed class SequenceTrackerTests
{
    private static readonly GatewayStream North = new("north", "gw-north-01");
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(30);

    [Fact]
    public void Batches_in_order_leave_no_gap_and_a_redelivered_one_is_seen()
    {
        var tracker = new SequenceTracker();
        for (var seq = 41L; seq <= 50; seq++)
        {
            Assert.Equal(SequenceArrival.New, Handle(tracker, seq));
        }

        Assert.Equal(SequenceArrival.Seen, Handle(tracker, 45));
        Assert.Equal(SequenceArrival.Seen, Handle(tracker, 41));
        Assert.Empty(tracker.OpenGaps());
        Assert.Equal(1 + 1, tracker.Duplicates);
        Assert.True(tracker.IsHandled(North, 50));
        Assert.False(tracker.IsHandled(North, 51));
    }

    [Fact]
    public void A_gap_is_asked_for_after_the_grace_time_again_after_the_retry_time_and_closes_as_its_batches_arrive()
    {
        var tracker = new SequenceTracker();
        Handle(tracker, 1);
        Handle(tracker, 2);
        Handle(tracker, 5, Start.AddSeconds(1));

        var gap = Assert.Single(tracker.OpenGaps());
        Assert.Equal(new SequenceRange(3, 4), gap.Missing);
        Assert.Equal(Start.AddSeconds(1), gap.OpenSince);
        Assert.Equal(1, tracker.GapsOpened);

        Assert.Empty(tracker.DueGaps(Start.AddSeconds(10), Grace, Retry, 1000));
        var due = Assert.Single(tracker.DueGaps(Start.AddSeconds(11), Grace, Retry, 1000));
        Assert.Equal((new SequenceRange(3, 4), 1), (due.Missing, due.Requested));
        Assert.Empty(tracker.DueGaps(Start.AddSeconds(40), Grace, Retry, 1000));
        Assert.Equal(2, Assert.Single(tracker.DueGaps(Start.AddSeconds(41), Grace, Retry, 1000)).Requested);

        // The replay brings 3: what is left of the gap keeps its age and its requests.
        Assert.Equal(SequenceArrival.New, Handle(tracker, 3, Start.AddSeconds(42)));
        var left = Assert.Single(tracker.OpenGaps());
        Assert.Equal((new SequenceRange(4, 4), Start.AddSeconds(1), 2), (left.Missing, left.OpenSince, left.Requested));
        Handle(tracker, 4, Start.AddSeconds(42));
        Assert.Empty(tracker.OpenGaps());
        Assert.Equal(2, tracker.Recovered);
        Assert.Equal(0, tracker.LostCount);
    }

    [Fact]
    public void Batches_another_member_of_the_group_stored_close_their_part_of_a_gap_without_counting_as_lost()
    {
        var tracker = new SequenceTracker();
        Handle(tracker, 1);
        Handle(tracker, 10, Start.AddSeconds(1));
        Assert.Equal([new SequenceRange(2, 9)], tracker.MissingWithin(North, new SequenceRange(1, 10)));
        Assert.Equal([new SequenceRange(4, 6)], tracker.MissingWithin(North, new SequenceRange(4, 6)));

        // 3 and 5 to 7 stored by another process of the group; 2, 4, 8 and 9 still missing.
        Assert.Equal(1, tracker.HandledElsewhere(North, new SequenceRange(3, 3)));
        Assert.Equal(3, tracker.HandledElsewhere(North, new SequenceRange(5, 7)));
        Assert.Equal(0, tracker.HandledElsewhere(North, new SequenceRange(5, 7)));
        Assert.Equal(
            [new SequenceRange(2, 2), new SequenceRange(4, 4), new SequenceRange(8, 9)],
            tracker.MissingWithin(North, new SequenceRange(1, 10)));
        Assert.Equal(0, tracker.LostCount);

        // The gateway no longer holds 2 to 4: only what was still missing of it is lost.
        Assert.Equal(2, tracker.Lost(North, new SequenceRange(2, 4)));
        Assert.Equal(2, tracker.LostCount);
        Assert.Equal([new SequenceRange(8, 9)], tracker.MissingWithin(North, new SequenceRange(1, 10)));
        Assert.Empty(tracker.MissingWithin(new GatewayStream("south", "gw-south-01"), new SequenceRange(1, 10)));
    }

    [Fact]
    public void Numbers_above_the_newest_the_gateway_holds_are_forgotten_with_the_gap_below_them()
    {
        var tracker = new SequenceTracker();
        for (var seq = 1L; seq <= 10; seq++)
        {
            Handle(tracker, seq);
        }

        // A batch numbered far ahead of the gateway: a gap opens below it.
        Handle(tracker, 900_003, Start.AddSeconds(1));
        Handle(tracker, 12, Start.AddSeconds(2));
        Assert.Equal([new SequenceRange(11, 11), new SequenceRange(13, 900_002)], tracker.OpenGaps().Select(g => g.Missing));

        // The gateway holds up to 12: 900,003 was not its own.
        Assert.Equal(0, tracker.Forget(North, 900_003));
        Assert.Equal(1, tracker.Forget(North, 12));
        Assert.Equal([new SequenceRange(11, 11)], tracker.OpenGaps().Select(g => g.Missing));
        Assert.False(tracker.IsHandled(North, 900_003));
        Assert.Equal(SequenceArrival.New, Handle(tracker, 13, Start.AddSeconds(3)));
        Assert.Equal(SequenceArrival.New, Handle(tracker, 11, Start.AddSeconds(3)));
        Assert.Empty(tracker.OpenGaps());
        Assert.Empty(tracker.DueGaps(Start.AddMinutes(5), Grace, Retry, 1000));
        Assert.Equal(0, tracker.LostCount);

        // Below the floor nothing is forgotten: the floor is what was handled in order.
        Assert.Equal(0, tracker.Forget(North, 5));
        Assert.True(tracker.IsHandled(North, 13));
    }

    [Fact]
    public void A_batch_sent_after_every_batch_handled_is_not_handled_whatever_its_number()
    {
        // The first number seen was not the gateway's: far ahead, so every real number is below the floor.
        var tracker = new SequenceTracker();
        Assert.Equal(SequenceArrival.New, tracker.Handle(North, 900_003, Start, Start, out _));
        Assert.True(tracker.IsHandled(North, 1, Start));
        Assert.False(tracker.IsHandled(North, 1, Start.AddSeconds(1)));

        // Handled, it restarts the stream from the gateway's own numbers, which are judged from then on.
        Assert.Equal(SequenceArrival.Restarted, tracker.Handle(North, 1, Start.AddSeconds(1), Start.AddSeconds(1), out var lost));
        Assert.Empty(lost);
        Assert.False(tracker.IsHandled(North, 2, Start.AddSeconds(2)));
        Assert.Equal(SequenceArrival.New, tracker.Handle(North, 2, Start.AddSeconds(2), Start.AddSeconds(2), out _));

        // A redelivery is sent no later than what was handled: still handled.
        Assert.True(tracker.IsHandled(North, 2, Start.AddSeconds(2)));
        Assert.True(tracker.IsHandled(North, 1, Start.AddSeconds(1)));
    }

    [Fact]
    public void A_gap_in_the_middle_of_a_gap_splits_it_and_both_parts_keep_their_age()
    {
        var tracker = new SequenceTracker();
        Handle(tracker, 10);
        Handle(tracker, 20, Start.AddSeconds(1));
        Handle(tracker, 15, Start.AddSeconds(5));

        Assert.Equal(
            [(new SequenceRange(11, 14), Start.AddSeconds(1)), (new SequenceRange(16, 19), Start.AddSeconds(1))],
            tracker.OpenGaps().Select(g => (g.Missing, g.OpenSince)));
        Assert.Equal(2, tracker.DueGaps(Start.AddSeconds(12), Grace, Retry, 1000).Count);
    }

    [Fact]
    public void A_long_gap_is_asked_for_in_parts()
    {
        var tracker = new SequenceTracker();
        Handle(tracker, 1);
        Handle(tracker, 5002);

        var due = Assert.Single(tracker.DueGaps(Start.AddMinutes(1), Grace, Retry, 1000));
        Assert.Equal(new SequenceRange(2, 1001), due.Missing);
    }

    [Fact]
    public void A_range_the_gateway_no_longer_holds_is_closed_as_lost_and_counted()
    {
        var tracker = new SequenceTracker();
        Handle(tracker, 100);
        Handle(tracker, 200);
        Handle(tracker, 150);

        Assert.Equal(49, tracker.Lost(North, new SequenceRange(101, 149)));
        var left = Assert.Single(tracker.OpenGaps());
        Assert.Equal(new SequenceRange(151, 199), left.Missing);
        Assert.Equal(49, tracker.Lost(North, new SequenceRange(140, 260)));
        Assert.Empty(tracker.OpenGaps());
        Assert.Equal(98, tracker.LostCount);

        // Numbers not yet sent are not closed by it: 201 is new when it comes.
        Assert.Equal(SequenceArrival.New, Handle(tracker, 201));
        Assert.Equal(0, tracker.Lost(new GatewayStream("south", "gw-x"), new SequenceRange(1, 5)));
    }

    [Fact]
    public void A_gateway_that_numbers_anew_restarts_its_stream_and_what_it_still_owed_is_lost()
    {
        var tracker = new SequenceTracker();
        Handle(tracker, 500, Start);
        Handle(tracker, 503, Start.AddSeconds(3));

        // An old batch redelivered is only seen again; seq 1 sent later is a new numbering.
        Assert.Equal(SequenceArrival.Seen, Handle(tracker, 500, Start));
        Assert.Equal(SequenceArrival.Restarted, tracker.Handle(North, 1, Start.AddMinutes(5), Start.AddMinutes(5), out var lost));
        Assert.Equal([new SequenceRange(501, 502)], lost);
        Assert.Equal((1, 2), (tracker.Restarts, tracker.LostCount));
        Assert.Empty(tracker.OpenGaps());
        Assert.Equal(SequenceArrival.New, Handle(tracker, 2, Start.AddMinutes(5)));
        Assert.Empty(tracker.OpenGaps());
    }

    [Fact]
    public void Gateways_are_tracked_apart()
    {
        var tracker = new SequenceTracker();
        var south = new GatewayStream("south", "gw-south-01");
        Handle(tracker, 7);
        tracker.Handle(south, 7, Start, Start, out _);
        tracker.Handle(south, 9, Start, Start, out _);

        Assert.Equal(south, Assert.Single(tracker.OpenGaps()).Stream);
        Assert.False(tracker.IsHandled(south, 8));
    }

    [Fact]
    public void The_saved_state_restores_the_handled_numbers_the_gaps_and_their_age_through_JSON()
    {
        var tracker = new SequenceTracker();
        Handle(tracker, 1, Start);
        Handle(tracker, 4, Start.AddSeconds(2));
        Handle(tracker, 6, Start.AddSeconds(3));
        Handle(tracker, 9, Start.AddSeconds(4));

        var json = JsonSerializer.Serialize(tracker.Snapshot());
        var restored = SequenceTracker.Restore(JsonSerializer.Deserialize<TrackerSnapshot>(json)!);

        Assert.Equal(
            tracker.OpenGaps().Select(g => (g.Stream, g.Missing, g.OpenSince)),
            restored.OpenGaps().Select(g => (g.Stream, g.Missing, g.OpenSince)));
        Assert.Equal(3, restored.OpenGaps().Count);
        Assert.Equal(SequenceArrival.Seen, Handle(restored, 6));
        Assert.Equal(SequenceArrival.New, Handle(restored, 5));
        Assert.Equal(SequenceArrival.Restarted, restored.Handle(North, 1, Start.AddMinutes(1), Start.AddMinutes(1), out _));
    }

    [Fact]
    public void A_damaged_save_loses_no_number_it_names_and_skips_what_it_cannot_read()
    {
        var snapshot = new TrackerSnapshot(
        [
            new StreamSnapshot("north", "gw-north-01", 10, Start, [[5, 12], [14, 13], [20, 25], [22, 30], [1]], [new OpenedSnapshot(13, 19, Start), new OpenedSnapshot(40, 30, Start)]),
            new StreamSnapshot("", "gw-nameless", 3, Start, null, null),
        ]);

        var restored = SequenceTracker.Restore(snapshot);

        Assert.Equal([new SequenceRange(13, 19)], restored.OpenGaps().Select(g => g.Missing));
        Assert.Equal(Start, Assert.Single(restored.OpenGaps()).OpenSince);
        Assert.True(restored.IsHandled(North, 12));
        Assert.True(restored.IsHandled(North, 30));
        Assert.False(restored.IsHandled(North, 31));
    }

    [Fact]
    public void Memory_stays_bounded_when_every_other_batch_goes_missing()
    {
        var tracker = new SequenceTracker();
        Handle(tracker, 0);
        var lost = 0L;
        for (var seq = 2L; seq <= 2 * (SequenceTracker.MaxRanges + 10); seq += 2)
        {
            tracker.Handle(North, seq, Start, Start, out var given);
            lost += given.Sum(r => r.Count);
        }

        Assert.Equal(SequenceTracker.MaxRanges, tracker.OpenGaps().Count);
        Assert.Equal(10, lost);
        Assert.Equal(10, tracker.LostCount);
    }

    [Fact]
    public void Any_order_of_arrivals_with_duplicates_leaves_exactly_the_missing_numbers_as_gaps()
    {
        var random = new Random(17);
        for (var round = 0; round < 200; round++)
        {
            var tracker = new SequenceTracker();
            var count = random.Next(2, 300);
            var delivered = Enumerable.Range(1, count).Select(i => (long)i).Where(_ => random.NextDouble() > 0.2).ToList();
            delivered.Insert(0, 0);
            var arrivals = delivered.Skip(1).Concat(delivered.Where(_ => random.NextDouble() < 0.3)).OrderBy(_ => random.Next()).Prepend(0).ToList();
            foreach (var seq in arrivals)
            {
                Handle(tracker, seq);
            }

            var highest = delivered.Max();
            var expectedMissing = Enumerable.Range(1, (int)highest).Select(i => (long)i).Except(delivered).ToHashSet();
            var missing = tracker.OpenGaps().SelectMany(g => Enumerable.Range((int)g.Missing.First, (int)g.Missing.Count).Select(i => (long)i)).ToHashSet();
            Assert.Equal(expectedMissing.Order(), missing.Order());
            Assert.All(delivered, seq => Assert.True(tracker.IsHandled(North, seq)));
        }
    }

    private static SequenceArrival Handle(SequenceTracker tracker, long seq, DateTimeOffset? at = null) =>
        tracker.Handle(North, seq, at ?? Start.AddSeconds(seq), at ?? Start, out _);
}

public sealed class SequenceTrackerFileTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("sequence-state-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void A_saved_tracker_loads_with_its_gaps_and_no_file_is_a_new_tracker()
    {
        var file = new SequenceTrackerFile(Path.Combine(folder, "state", "sequences.json"));
        Assert.Empty(file.Load(out var none).OpenGaps());
        Assert.Null(none);

        var tracker = new SequenceTracker();
        var stream = new GatewayStream("north", "gw-north-01");
        var at = new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);
        tracker.Handle(stream, 1, at, at, out _);
        tracker.Handle(stream, 3, at, at, out _);
        file.Save(tracker);
        file.Save(tracker);

        var loaded = file.Load(out var problem);
        Assert.Null(problem);
        Assert.Equal(new SequenceRange(2, 2), Assert.Single(loaded.OpenGaps()).Missing);
        Assert.Contains("\"floor\":1", File.ReadAllText(file.Path), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"streams\":[{\"site\":\"north\",\"floor\":\"many\"}]}")]
    [InlineData("\u0000\u0001not json")]
    [InlineData("null")]
    public void An_unreadable_file_is_named_moved_aside_and_tracking_starts_afresh(string content)
    {
        var file = new SequenceTrackerFile(Path.Combine(folder, "sequences.json"));
        File.WriteAllText(file.Path, content);

        var tracker = file.Load(out var problem);

        Assert.Contains(file.Path, problem, StringComparison.Ordinal);
        Assert.Empty(tracker.OpenGaps());
        Assert.True(File.Exists(file.Path + ".unreadable"));

        // And the next save and load work.
        tracker.Handle(new GatewayStream("north", "gw"), 5, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, out _);
        file.Save(tracker);
        Assert.True(file.Load(out var again).IsHandled(new GatewayStream("north", "gw"), 5));
        Assert.Null(again);
    }
}
