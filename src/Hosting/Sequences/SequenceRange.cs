using System.Globalization;

namespace Telemetry.Hosting.Sequences;

/// <summary>The batch numbers <see cref="First"/> to <see cref="Last"/> of one gateway, both included.</summary>
public readonly record struct SequenceRange(long First, long Last)
{
    public long Count => Last - First + 1;

    public bool Contains(long seq) => seq >= First && seq <= Last;

    public override string ToString() =>
        First == Last ? First.ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{First}-{Last}");
}

/// <summary>A gateway's stream of batches: the site and gateway ids of its topics.</summary>
public readonly record struct GatewayStream(string Site, string Gateway)
{
    public override string ToString() => $"{Site}/{Gateway}";
}

/// <summary>A gap in a gateway's stream, open since a later batch arrived; <see cref="Requested"/> counts the replays asked for it.</summary>
public sealed record SequenceGap(GatewayStream Stream, SequenceRange Missing, DateTimeOffset OpenSince, int Requested);

/// <summary>What a batch number told the tracker.</summary>
public enum SequenceArrival
{
    /// <summary>Not seen before: handle it.</summary>
    New,

    /// <summary>Seen (stored or judged) before: a redelivery or a replay; handle it again only if handling is idempotent.</summary>
    Seen,

    /// <summary>The gateway began its numbering again (a lower seq sent later than anything seen): the stream is tracked afresh from it.</summary>
    Restarted,
}
