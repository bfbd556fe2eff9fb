namespace Telemetry.Devices.Profiles;

/// <summary>How a writable point is written and which values a command may carry.</summary>
/// <param name="FunctionCode">5 or 15 for a coil; 6 or 16 for holding registers.</param>
/// <param name="Minimum">Smallest engineering value a command may write, if bounded.</param>
/// <param name="Maximum">Largest engineering value a command may write, if bounded.</param>
public sealed record WriteAccess(byte FunctionCode, double? Minimum, double? Maximum);
