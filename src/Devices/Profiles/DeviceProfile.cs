using Telemetry.Contracts;

namespace Telemetry.Devices.Profiles;

/// <summary>The register map of one device model, validated and with circuit templates expanded.</summary>
public sealed record DeviceProfile
{
    /// <summary>Model id, which sites refer to and which names the profile file.</summary>
    public required string Model { get; init; }

    /// <summary>Who makes the device.</summary>
    public required string Manufacturer { get; init; }

    /// <summary>Which kind of plant the device is.</summary>
    public required DeviceFamily Family { get; init; }

    /// <summary>Free text for people.</summary>
    public string? Description { get; init; }

    /// <summary>Links the device can be reached on.</summary>
    public required IReadOnlyList<LinkType> Links { get; init; }

    /// <summary>Word order of points that do not state their own.</summary>
    public WordOrder WordOrder { get; init; } = WordOrder.ABCD;

    /// <summary>What the device answers in one read, and how far reads may be merged.</summary>
    public ReadLimits Limits { get; init; } = ReadLimits.Protocol;

    /// <summary>Number of circuits (0 when the profile has no <c>circuits</c> block).</summary>
    public int CircuitCount { get; init; }

    /// <summary>Every point, device-level first, then circuit 1, circuit 2... in profile order.</summary>
    public required IReadOnlyList<PointDefinition> Points { get; init; }

    /// <summary>Where the profile was loaded from (a file path or a name given by the caller).</summary>
    public string Source { get; init; } = "";

    /// <summary>The point called <paramref name="name"/> (of <paramref name="circuit"/>, or device-level when null), or null.</summary>
    public PointDefinition? FindPoint(string name, int? circuit = null) =>
        Points.FirstOrDefault(p => p.Name == name && p.Circuit == circuit);

    /// <summary>The writable points, which commands may target.</summary>
    public IEnumerable<PointDefinition> WritablePoints => Points.Where(p => p.IsWritable);
}
