using System.Collections;

namespace Telemetry.Devices.Profiles;

/// <summary>The validated profiles of a directory, by model id.</summary>
public sealed class ProfileCatalog : IReadOnlyCollection<DeviceProfile>
{
    private readonly Dictionary<string, DeviceProfile> byModel;

    /// <summary>Creates a catalog; model ids must be unique.</summary>
    public ProfileCatalog(IEnumerable<DeviceProfile> profiles)
    {
        ArgumentNullException.ThrowIfNull(profiles);
        byModel = profiles.ToDictionary(p => p.Model, StringComparer.Ordinal);
    }

    /// <inheritdoc />
    public int Count => byModel.Count;

    /// <summary>The profile of <paramref name="model"/>.</summary>
    /// <exception cref="KeyNotFoundException">No profile has that model id.</exception>
    public DeviceProfile this[string model] => byModel.TryGetValue(model, out var profile)
        ? profile
        : throw new KeyNotFoundException($"no device profile for model '{model}'; known: {string.Join(", ", byModel.Keys.Order(StringComparer.Ordinal))}");

    /// <summary>The profile of <paramref name="model"/>, or null.</summary>
    public DeviceProfile? Find(string model) => byModel.GetValueOrDefault(model);

    /// <inheritdoc />
    public IEnumerator<DeviceProfile> GetEnumerator() => byModel.Values.OrderBy(p => p.Model, StringComparer.Ordinal).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
