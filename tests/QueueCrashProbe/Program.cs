using Microsoft.Extensions.Logging.Abstractions;
using Telemetry.Gateway.Buffering;
using Telemetry.QueueCrashProbe;

// Usage: QueueCrashProbe <queue folder> <sequence file>
// Until killed, prints "appended <record id> <seq>" once an append returned (durable), and "acking <record id>"
// before and "acked <record id>" after an acknowledgement. The publisher thread acknowledges most of what it reads,
// as PUBACKs would.
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: QueueCrashProbe <queue folder> <sequence file>");
    return 2;
}

var options = Probe.Options(args[0]);
using var queue = StoreAndForwardQueue.Open(options, NullLogger.Instance, TimeProvider.System);
using var sequence = SequenceCounter.Open(args[1], NullLogger.Instance, TimeProvider.System);

var publisher = new Thread(() =>
{
    while (queue.WaitToReadAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult())
    {
        foreach (var record in queue.ReadBatch(4))
        {
            // Leave some records unacknowledged so that recovery has both kinds.
            if (record.Id % 3 != 0)
            {
                Console.WriteLine($"acking {record.Id}");
                queue.Acknowledge(record.Id);
                Console.WriteLine($"acked {record.Id}");
            }
        }
    }
})
{ IsBackground = true };
publisher.Start();

Console.WriteLine("ready");
while (true)
{
    var seq = sequence.Next();
    var id = queue.Append(Probe.Payload(seq));
    Console.WriteLine($"appended {id} {seq}");
}
