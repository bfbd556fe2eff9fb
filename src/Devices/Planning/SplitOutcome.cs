using Telemetry.Devices.Profiles;

namespace Telemetry.Devices.Planning;

/// <summary>What replaces a read that failed with an illegal-address exception.</summary>
/// <param name="Replacements">Smaller reads covering the failed read's points (empty when it held one point).</param>
/// <param name="Unavailable">The point that failed on its own and is no longer read, if it came to that.</param>
public sealed record SplitOutcome(IReadOnlyList<ReadRequest> Replacements, PointDefinition? Unavailable);
