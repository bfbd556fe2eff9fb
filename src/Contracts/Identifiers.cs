namespace Telemetry.Contracts;

/// <summary>
/// Site, gateway, device and crew identifiers: they become MQTT topic levels and InfluxDB tag values,
/// so they are restricted to a set that is safe in both without escaping.
/// </summary>
public static class Identifiers
{
    public const int MaxLength = 64;

    public const string Rule = "1 to 64 characters of a-z, A-Z, 0-9, '-', '_' or '.', starting with a letter or digit";

    public static bool IsValid(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxLength || !char.IsAsciiLetterOrDigit(value[0]))
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not '-' and not '_' and not '.')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Value names: lower-case snake case, the unit as suffix (<c>voltage_v</c>, <c>lamps_lit</c>).</summary>
    public static bool IsValidValueName(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxLength || !char.IsAsciiLetterLower(value[0]))
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!char.IsAsciiLetterLower(c) && !char.IsAsciiDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }
}
