namespace Telemetry.Rules.Evaluation;

/// <summary>What one observation did to a condition.</summary>
internal enum ConditionChange
{
    None,

    /// <summary>The condition became active: emit one FaultDetected.</summary>
    Detected,

    /// <summary>The condition ended: emit one FaultCleared.</summary>
    Cleared,
}
