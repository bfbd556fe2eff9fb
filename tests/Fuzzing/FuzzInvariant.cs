namespace Telemetry.Fuzzing;

/// <summary>
/// What every path must keep, whatever it is fed: the input is accepted or refused with a reason, never thrown
/// on, and the valid input fed right after it is processed as if the hostile one had never come.
/// </summary>
public static class FuzzInvariant
{
    /// <summary>Feeds <paramref name="input"/>, then a valid input.</summary>
    /// <param name="target">The path.</param>
    /// <param name="input">The input.</param>
    /// <param name="outcome">What became of the input.</param>
    /// <returns>Null when the invariant held; otherwise what broke it.</returns>
    public static string? Check(IFuzzTarget target, byte[] input, out FuzzOutcome outcome)
    {
        outcome = Feed(target, input);
        return outcome.Verdict == FuzzVerdict.Failed ? $"{target.Name}: {outcome.Detail}" : AfterValid(target);
    }

    /// <summary>The first half of <see cref="Check"/>: what became of <paramref name="input"/>, a throw taken as a failure.</summary>
    public static FuzzOutcome Feed(IFuzzTarget target, byte[] input)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(input);
        try
        {
            return target.Feed(input);
        }
        catch (Exception ex)
        {
            return FuzzOutcome.Threw(ex);
        }
    }

    /// <summary>The second half of <see cref="Check"/>: null when the valid input is processed; otherwise what went wrong.</summary>
    public static string? AfterValid(IFuzzTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        try
        {
            return target.FeedValid() ? null : $"{target.Name}: the valid input fed after this one was not processed";
        }
        catch (Exception ex)
        {
            return $"{target.Name}: the valid input fed after this one threw {ex}";
        }
    }
}
