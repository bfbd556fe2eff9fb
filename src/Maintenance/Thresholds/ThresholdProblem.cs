namespace Telemetry.Maintenance.Thresholds;

/// <summary>One reason a threshold change was refused.</summary>
/// <param name="Parameter">The parameter the problem is about, as named in the change or in the catalogue.</param>
/// <param name="Scope">The scope key where the problem shows (for a band left disordered, the narrowest scope involved).</param>
/// <param name="Message">What rule was broken, naming the values involved.</param>
public sealed record ThresholdProblem(string Parameter, string Scope, string Message)
{
    public override string ToString() => $"{Parameter} at {Scope}: {Message}";
}
