using System.Globalization;
using Telemetry.Hosting.Sequences;
using Telemetry.InfluxDb;
using Telemetry.InfluxDb.Querying;

namespace Telemetry.Ingest.Storage;

/// <summary>
/// Which batches of a gateway are stored, from the <c>batches</c> measurement every stored batch writes a point to. Several
/// Ingest processes share the stream, each seeing only its part of it, so a gap one of them sees may have been stored by
/// another: it looks here before asking the gateway for the batches again.
/// </summary>
public sealed class StoredBatches(InfluxClient influx, InfluxSettings settings)
{
    public async Task<IReadOnlyList<long>> FindAsync(GatewayStream stream, SequenceRange range, CancellationToken cancellationToken)
    {
        var query = string.Create(CultureInfo.InvariantCulture,
            $"SELECT \"seq\" FROM \"batches\" WHERE \"site\" = {InfluxQl.QuoteString(stream.Site)} AND \"gateway\" = {InfluxQl.QuoteString(stream.Gateway)} AND \"seq\" >= {range.First} AND \"seq\" <= {range.Last}");
        var result = await influx.QueryAsync(query, settings.Database, cancellationToken);
        var found = new List<long>();
        foreach (var series in result.Series)
        {
            var column = series.GetOrdinal("seq");
            for (var row = 0; row < series.RowCount; row++)
            {
                if (!series.IsNull(row, column))
                {
                    found.Add(series.GetInt64(row, column));
                }
            }
        }

        return found;
    }
}
