namespace Telemetry.Rules.Evaluation;

/// <summary>
/// How far the engine trusts what it is fed: how far a reading's time may lie ahead of its clock or behind what it has
/// judged, and how many gateways and devices that no site file lists it keeps state for. Gateways publish what they
/// like, so neither a wrong clock nor invented identifiers may grow its memory or the ticket table without bound.
/// </summary>
public sealed record RuleEngineLimits
{
    /// <summary>The limits Rules starts with when its configuration says nothing.</summary>
    public static RuleEngineLimits Default { get; } = new();

    /// <summary>
    /// A reading more than this older than the last one judged of its device (or circuit) is refused as too old;
    /// an older one within it is a redelivery or a gateway's replay and is skipped as a duplicate.
    /// </summary>
    public TimeSpan ReplayWindow { get; init; } = TimeSpan.FromDays(1);

    /// <summary>A reading or event stamped more than this ahead of the engine's clock is refused.</summary>
    public TimeSpan MaxFuture { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Gateways no site file lists (unknown site or unknown gateway) that are tracked; further ones are refused.</summary>
    public int MaxUnknownGateways { get; init; } = 64;

    /// <summary>Devices no site file lists that are tracked per known gateway; further ones are refused.</summary>
    public int MaxUnknownDevicesPerGateway { get; init; } = 32;

    /// <exception cref="ArgumentOutOfRangeException">A limit is negative.</exception>
    internal void Check()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ReplayWindow, TimeSpan.Zero, nameof(ReplayWindow));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxFuture, TimeSpan.Zero, nameof(MaxFuture));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxUnknownGateways, nameof(MaxUnknownGateways));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxUnknownDevicesPerGateway, nameof(MaxUnknownDevicesPerGateway));
    }
}
