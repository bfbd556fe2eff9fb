using Telemetry.Devices.Profiles;

namespace Telemetry.Devices.Planning;

/// <summary>
/// The reads of one device, which adapt when the device refuses some addresses: a read that fails with an
/// illegal-address exception is split so that one missing register does not blind the others, and a point
/// that fails on its own is dropped and reported. Not thread-safe: one poll loop owns a plan.
/// </summary>
public sealed class PollPlan
{
    private readonly List<ReadRequest> requests;
    private readonly List<PointDefinition> unavailable = [];

    /// <summary>Plans the reads of <paramref name="points"/> within <paramref name="limits"/>.</summary>
    public PollPlan(IEnumerable<PointDefinition> points, ReadLimits limits)
    {
        requests = [.. PollPlanner.Plan(points, limits)];
    }

    /// <summary>Plans the reads of every point of a profile.</summary>
    public static PollPlan For(DeviceProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return new PollPlan(profile.Points, profile.Limits);
    }

    /// <summary>The reads of one poll cycle, by table then address.</summary>
    public IReadOnlyList<ReadRequest> Requests => requests;

    /// <summary>Points given up because the device refused them on their own.</summary>
    public IReadOnlyList<PointDefinition> UnavailablePoints => unavailable;

    /// <summary>Replaces a read the device refused with an illegal-address exception by smaller ones.</summary>
    /// <exception cref="InvalidOperationException">The read is not (or no longer) one of <see cref="Requests"/>.</exception>
    public SplitOutcome ReportIllegalAddress(ReadRequest failed)
    {
        ArgumentNullException.ThrowIfNull(failed);
        var index = requests.FindIndex(r => ReferenceEquals(r, failed));
        if (index < 0)
        {
            throw new InvalidOperationException($"read {failed} is not part of this plan (already split?)");
        }

        var outcome = PollPlanner.Split(failed);
        requests.RemoveAt(index);
        requests.InsertRange(index, outcome.Replacements);
        if (outcome.Unavailable is { } point)
        {
            unavailable.Add(point);
        }

        return outcome;
    }
}
