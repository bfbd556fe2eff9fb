namespace Telemetry.Devices.Sites;

/// <summary>One broken rule of a site file.</summary>
/// <param name="Source">The file (or the name the caller gave the text).</param>
/// <param name="Path">JSON path of the value concerned, e.g. <c>$.gateways[0].devices[3].unit</c>; <c>$</c> for the document.</param>
/// <param name="Rule">The rule broken.</param>
/// <param name="Detail">What exactly is wrong, for people.</param>
public sealed record SiteError(string Source, string Path, SiteRule Rule, string Detail)
{
    /// <inheritdoc />
    public override string ToString() => $"{Source}: {Path}: {Detail} [{Rule}]";
}

/// <summary>A site file broke one or more rules; every error found is listed.</summary>
public sealed class SiteValidationException : Exception
{
    /// <summary>Creates the exception from the errors found, which must not be empty.</summary>
    public SiteValidationException(IReadOnlyList<SiteError> errors)
        : base(Describe(errors))
    {
        Errors = errors;
    }

    /// <summary>Every broken rule, in file order.</summary>
    public IReadOnlyList<SiteError> Errors { get; }

    private static string Describe(IReadOnlyList<SiteError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Count == 0)
        {
            throw new ArgumentException("a validation exception needs at least one error", nameof(errors));
        }

        var header = errors.Count == 1 ? "1 site error:" : $"{errors.Count} site errors:";
        return header + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  " + e));
    }
}
