namespace Telemetry.Devices.Profiles;

/// <summary>A profile file (or a directory of them) broke one or more rules; every error found is listed.</summary>
public sealed class ProfileValidationException : Exception
{
    /// <summary>Creates the exception from the errors found, which must not be empty.</summary>
    public ProfileValidationException(IReadOnlyList<ProfileError> errors)
        : base(Describe(errors))
    {
        Errors = errors;
    }

    /// <summary>Every broken rule, in file order.</summary>
    public IReadOnlyList<ProfileError> Errors { get; }

    private static string Describe(IReadOnlyList<ProfileError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Count == 0)
        {
            throw new ArgumentException("a validation exception needs at least one error", nameof(errors));
        }

        var header = errors.Count == 1 ? "1 profile error:" : $"{errors.Count} profile errors:";
        return header + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  " + e));
    }
}
