using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Telemetry.Gateway.Buffering;

namespace Telemetry.Gateway.Tests.Buffering;

/// <summary>The queue against a model (a sorted map of pending records and a read cursor) over random histories.</summary>
public sealed class QueuePropertyTests
{
    private static readonly Gen<Step> Steps = Gen.Frequency(
        (6, Gen.Choose(0, 9000).Select(size => (Step)new AppendStep(size))),
        (1, from count in Gen.Choose(1, 6) from size in Gen.Choose(0, 9000) select (Step)new AppendManyStep(count, size)),
        (4, Gen.Choose(0, 1000).Select(pick => (Step)new AcknowledgeStep(pick))),
        (3, Gen.Choose(1, 8).Select(count => (Step)new ReadStep(count))),
        (1, Gen.Constant((Step)new RewindStep())),
        (1, Gen.Constant((Step)new ReopenStep())));

    private static readonly Arbitrary<Step[]> Histories = Gen.ArrayOf(Steps).Select(steps => steps.Take(40).ToArray()).ToArbitrary();

    [Property(MaxTest = 60)]
    public Property Queue_agrees_with_the_model_and_pending_records_survive_reopen() =>
        Prop.ForAll(Histories, history =>
        {
            using var folder = new QueueFolder();
            var queue = folder.Open();
            var pending = new SortedDictionary<long, byte[]>();
            long nextId = 1;
            long cursor = 0;
            try
            {
                foreach (var step in history)
                {
                    switch (step)
                    {
                        case AppendStep append:
                            Assert.Equal(nextId, queue.Append(PayloadOf(nextId, append.Size)));
                            pending[nextId] = PayloadOf(nextId, append.Size);
                            nextId++;
                            break;
                        case AppendManyStep many:
                            var payloads = Enumerable.Range(0, many.Count).Select(i => PayloadOf(nextId + i, many.Size)).ToList();
                            Assert.Equal(Enumerable.Range(0, many.Count).Select(i => nextId + i), queue.AppendMany([.. payloads.Select(p => new ReadOnlyMemory<byte>(p))]));
                            foreach (var payload in payloads)
                            {
                                pending[nextId++] = payload;
                            }

                            break;
                        case AcknowledgeStep acknowledge when pending.Count == 0:
                            Assert.False(queue.Acknowledge(nextId + acknowledge.Pick));
                            break;
                        case AcknowledgeStep acknowledge:
                            var id = pending.Keys.ElementAt(acknowledge.Pick % pending.Count);
                            Assert.True(queue.Acknowledge(id));
                            pending.Remove(id);
                            break;
                        case ReadStep read:
                            var expected = pending.Where(p => p.Key >= cursor).Take(read.Count).ToList();
                            var actual = queue.ReadBatch(read.Count);
                            Assert.Equal(expected.Select(p => p.Key), actual.Select(r => r.Id));
                            Assert.Equal(expected.Select(p => p.Value), actual.Select(r => r.Payload.ToArray()));
                            cursor = actual.Count > 0 ? actual[^1].Id + 1 : cursor;
                            break;
                        case RewindStep:
                            queue.Rewind();
                            cursor = 0;
                            break;
                        case ReopenStep:
                            queue.Dispose();
                            queue = folder.Open();
                            cursor = 0;
                            Assert.Equal(pending.Count, queue.Statistics.PendingRecords);
                            break;
                    }
                }

                queue.Dispose();
                queue = folder.Open();
                var recovered = QueueFolder.Drain(queue);
                Assert.Equal(pending.Keys, recovered.Select(r => r.Id));
                Assert.Equal(pending.Values, recovered.Select(r => r.Payload.ToArray()));
                Assert.Equal(0, queue.Statistics.Corrupt);
            }
            finally
            {
                queue.Dispose();
            }
        });

    private static byte[] PayloadOf(long id, int size)
    {
        var payload = new byte[size];
        new Random((int)id).NextBytes(payload);
        return payload;
    }

    private abstract record Step;

    private sealed record AppendStep(int Size) : Step;

    private sealed record AppendManyStep(int Count, int Size) : Step;

    private sealed record AcknowledgeStep(int Pick) : Step;

    private sealed record ReadStep(int Count) : Step;

    private sealed record RewindStep : Step;

    private sealed record ReopenStep : Step;
}
