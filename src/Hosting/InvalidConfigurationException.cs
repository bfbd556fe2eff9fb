namespace Telemetry.Hosting;

/// <summary>A configuration value that breaks its rule; the message names every such value.</summary>
public sealed class InvalidConfigurationException(IReadOnlyList<string> problems)
    : Exception("invalid configuration: " + string.Join("; ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
