using System.Text;

namespace Telemetry.InfluxDb.Querying;

/// <summary>Quoting for building InfluxQL text safely from arbitrary names and values.</summary>
/// <remarks>
/// InfluxQL's scanner turns every carriage return into a line feed before it reads a quoted string, and has no
/// escape for it, so text holding a carriage return cannot be quoted: such names and values can still be read
/// back (e.g. <c>SELECT *</c>, <c>SHOW TAG VALUES</c>) or matched with a regular expression, where <c>\r</c> works.
/// </remarks>
public static class InfluxQl
{
    /// <summary>Quotes an identifier (database, measurement, tag or field key) in double quotes,
    /// escaping backslash, double quote and line feed as InfluxQL's scanner expects.</summary>
    /// <param name="identifier">The identifier.</param>
    /// <returns>The quoted identifier, e.g. <c>"my \"db\""</c>.</returns>
    /// <exception cref="ArgumentException">The text holds a carriage return.</exception>
    public static string QuoteIdentifier(string identifier) => Quote(identifier, '"');

    /// <summary>Quotes a string literal (e.g. a tag value in a WHERE clause) in single quotes,
    /// escaping backslash, single quote and line feed.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The quoted literal, e.g. <c>'it\'s'</c>.</returns>
    /// <exception cref="ArgumentException">The text holds a carriage return.</exception>
    public static string QuoteString(string value) => Quote(value, '\'');

    private static string Quote(string text, char quote)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Contains('\r', StringComparison.Ordinal))
        {
            throw new ArgumentException("InfluxQL cannot quote a carriage return (its scanner reads it as a line feed).", nameof(text));
        }

        var builder = new StringBuilder(text.Length + 2);
        builder.Append(quote);
        foreach (var c in text)
        {
            switch (c)
            {
                case '\\':
                    builder.Append(@"\\");
                    break;
                case '\n':
                    builder.Append(@"\n");
                    break;
                default:
                    if (c == quote)
                    {
                        builder.Append('\\');
                    }

                    builder.Append(c);
                    break;
            }
        }

        return builder.Append(quote).ToString();
    }
}
