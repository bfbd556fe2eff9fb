using System.Globalization;

namespace Telemetry.Api.Requests;

/// <summary>
/// The paging of a settings history (thresholds, service levels): <c>limit</c> rows (50 unless given) of the versions
/// before <c>before</c> (the previous page's <c>next_before</c>), newest first. A bad value is a problem named by its
/// parameter.
/// </summary>
public static class HistoryPaging
{
    public const int DefaultLimit = 50;

    /// <summary>Reads <paramref name="limit"/> and <paramref name="before"/>, adding to <paramref name="problems"/> what is wrong with them.</summary>
    public static (int Limit, long? Before) Read(string? limit, string? before, int maxLimit, Dictionary<string, string[]> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var pageSize = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize < 1 || pageSize > maxLimit))
        {
            problems["limit"] = [string.Create(CultureInfo.InvariantCulture, $"must be a whole number from 1 to {maxLimit}")];
        }

        long? beforeVersion = null;
        if (before is not null)
        {
            if (long.TryParse(before, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed >= 1)
            {
                beforeVersion = parsed;
            }
            else
            {
                problems["before"] = ["must be a version, a whole number of at least 1"];
            }
        }

        return (pageSize, beforeVersion);
    }
}
