using Telemetry.Devices.Profiles;

namespace Telemetry.Devices.Decoding;

/// <summary>One named value of a reading.</summary>
/// <param name="Name">Semantic value name (<c>voltage_l1_v</c>, <c>lamp_3_lit</c>).</param>
/// <param name="Circuit">1-based circuit for per-circuit values; null for device-level ones.</param>
/// <param name="Value">The engineering value.</param>
/// <param name="Point">The point the value was decoded from (a bitfield yields several values).</param>
public sealed record DecodedValue(string Name, int? Circuit, PointValue Value, PointDefinition Point);

/// <summary>A point whose registers held no valid value (an f32 NaN or infinity).</summary>
/// <param name="Point">The point.</param>
/// <param name="Reason">What was wrong with the raw value.</param>
public sealed record RejectedValue(PointDefinition Point, string Reason);
