namespace Telemetry.Devices.Profiles;

/// <summary>One broken rule of a profile file.</summary>
/// <param name="Source">The file (or the name the caller gave the text).</param>
/// <param name="Point">The point concerned (<c>voltage_l1_v</c>, or <c>points[3]</c> when it has no name); null for profile-level rules.</param>
/// <param name="Rule">The rule broken.</param>
/// <param name="Detail">What exactly is wrong, for people.</param>
public sealed record ProfileError(string Source, string? Point, ProfileRule Rule, string Detail)
{
    /// <inheritdoc />
    public override string ToString() =>
        Point is null ? $"{Source}: {Detail} [{Rule}]" : $"{Source}: point '{Point}': {Detail} [{Rule}]";
}
