namespace Telemetry.Maintenance.Thresholds;

/// <summary>A threshold change broke one or more rules; nothing was written.</summary>
public sealed class ThresholdValidationException : Exception
{
    public ThresholdValidationException(IReadOnlyList<ThresholdProblem> problems)
        : base(Describe(problems))
    {
        Problems = problems;
    }

    /// <summary>Every rule the change broke, not just the first, so an engineer can fix them in one go.</summary>
    public IReadOnlyList<ThresholdProblem> Problems { get; }

    private static string Describe(IReadOnlyList<ThresholdProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        return problems.Count == 0
            ? "The threshold change was refused."
            : $"The threshold change was refused: {string.Join("; ", problems)}";
    }
}
