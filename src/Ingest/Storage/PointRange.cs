namespace Telemetry.Ingest.Storage;

/// <summary>Where one message's points lie in a write body: bytes Start..End, empty when it added none.</summary>
public readonly record struct PointRange(int Start, int End)
{
    public int Length => End - Start;

    public bool IsEmpty => End <= Start;

    /// <summary>
    /// Where to cut the messages of a write that InfluxDB found too large: the index of the first message of the
    /// second part, chosen so that both parts hold points and their sizes are as even as the message boundaries
    /// allow; -1 when fewer than two messages hold points, so that there is nothing to cut between.
    /// </summary>
    public static int Halve(ReadOnlySpan<PointRange> messages)
    {
        long total = 0;
        var holding = 0;
        foreach (var message in messages)
        {
            if (!message.IsEmpty)
            {
                total += message.Length;
                holding++;
            }
        }

        if (holding < 2)
        {
            return -1;
        }

        // Cut before message i: the first part holds messages [0, i). Both parts need at least one message with points.
        var best = -1;
        var bestImbalance = long.MaxValue;
        long before = 0;
        var holdingBefore = 0;
        for (var i = 1; i < messages.Length; i++)
        {
            if (!messages[i - 1].IsEmpty)
            {
                before += messages[i - 1].Length;
                holdingBefore++;
            }

            if (holdingBefore == 0 || holdingBefore == holding)
            {
                continue;
            }

            var imbalance = Math.Abs(total - (2 * before));
            if (imbalance < bestImbalance)
            {
                (best, bestImbalance) = (i, imbalance);
            }
        }

        return best;
    }
}
