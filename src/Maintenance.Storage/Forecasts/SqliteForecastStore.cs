using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Data.Sqlite;
using Telemetry.Forecasting;
using Telemetry.Forecasting.Numerics;
using Telemetry.Maintenance.Storage;
using Telemetry.Maintenance.WorkOrders;

namespace Telemetry.Maintenance.Forecasts;

/// <summary>
/// The latest forecast per site, asset and kind in the maintenance database (<c>forecasts</c>): the figures as columns
/// (dates as Unix milliseconds, counts as numbers), the chart as JSON.
/// </summary>
public sealed class SqliteForecastStore(SqliteDatabase database) : IForecastStore
{
    private const string Script = """
        CREATE TABLE IF NOT EXISTS forecasts (
            site TEXT NOT NULL,
            asset TEXT NOT NULL,
            kind TEXT NOT NULL,
            as_of INTEGER NOT NULL,
            expected REAL NOT NULL,
            low REAL NOT NULL,
            high REAL NOT NULL,
            period_days REAL,
            chart TEXT NOT NULL,
            PRIMARY KEY (site, kind, asset)
        ) STRICT;
        """;

    private int ready;

    public async Task ReplaceAsync(string site, ForecastKind kind, IReadOnlyList<StoredForecast> forecasts, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(site);
        ArgumentNullException.ThrowIfNull(forecasts);
        if (forecasts.FirstOrDefault(f => f.Site != site || f.Forecast.Kind != kind) is { } stray)
        {
            throw new ArgumentException($"forecast of {stray.Forecast.Asset} is not a {kind} forecast of {site}", nameof(forecasts));
        }

        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = SqliteDatabase.BeginWrite(connection);
        await using (var delete = connection.Command(transaction, "DELETE FROM forecasts WHERE site = $site AND kind = $kind",
            ("$site", site), ("$kind", PredictiveWorkOrders.KindName(kind))))
        {
            await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var stored in forecasts)
        {
            var (expected, low, high, period) = stored.Forecast switch
            {
                DateForecast d => ((double)d.Expected.ToUnixTimeMilliseconds(), (double)d.Low.ToUnixTimeMilliseconds(), (double)d.High.ToUnixTimeMilliseconds(), (double?)null),
                CountForecast c => (c.Expected, c.Low, c.High, c.Period.TotalDays),
                _ => throw new ArgumentException($"unknown forecast {stored.Forecast.GetType().Name}", nameof(forecasts)),
            };
            await using var insert = connection.Command(transaction,
                """
                INSERT INTO forecasts (site, asset, kind, as_of, expected, low, high, period_days, chart)
                VALUES ($site, $asset, $kind, $as_of, $expected, $low, $high, $period, $chart)
                """,
                ("$site", site), ("$asset", stored.Forecast.Asset), ("$kind", PredictiveWorkOrders.KindName(kind)),
                ("$as_of", stored.Forecast.AsOf.ToUnixTimeMilliseconds()), ("$expected", expected), ("$low", low), ("$high", high), ("$period", period),
                ("$chart", JsonSerializer.Serialize(stored.Chart, ForecastStoreJson.Default.ForecastChart)));
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<StoredForecast>> ListAsync(string? site, ForecastKind? kind, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command(null,
            """
            SELECT site, asset, kind, as_of, expected, low, high, period_days, chart FROM forecasts
            WHERE ($site IS NULL OR site = $site) AND ($kind IS NULL OR kind = $kind)
            ORDER BY site, kind, asset
            """,
            ("$site", site), ("$kind", kind is { } k ? PredictiveWorkOrders.KindName(k) : null));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var found = new List<StoredForecast>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!PredictiveWorkOrders.TryParseKind(reader.GetString(2), out var parsed))
            {
                throw new InvalidDataException($"a stored forecast has the unknown kind '{reader.GetString(2)}'");
            }

            var asset = reader.GetString(1);
            var asOf = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3));
            Forecast forecast = reader.IsDBNull(7)
                ? new DateForecast(asset, parsed, asOf, Time(reader.GetDouble(4)), Time(reader.GetDouble(5)), Time(reader.GetDouble(6)))
                : new CountForecast(asset, parsed, asOf, TimeSpan.FromDays(reader.GetDouble(7)), reader.GetDouble(4), (int)reader.GetDouble(5), (int)reader.GetDouble(6));
            var chart = JsonSerializer.Deserialize(reader.GetString(8), ForecastStoreJson.Default.ForecastChart)
                ?? throw new InvalidDataException($"the stored chart of {asset} is empty");
            found.Add(new StoredForecast(reader.GetString(0), forecast, chart));
        }

        return found;
    }

    private static DateTimeOffset Time(double milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds((long)milliseconds);

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (Volatile.Read(ref ready) == 0)
        {
            try
            {
                await using var transaction = SqliteDatabase.BeginWrite(connection);
                await using var command = connection.Command(transaction, Script);
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            Volatile.Write(ref ready, 1);
        }

        return connection;
    }
}

/// <summary>The stored form of a forecast's chart.</summary>
[JsonSerializable(typeof(ForecastChart))]
[JsonSerializable(typeof(Observation))]
internal sealed partial class ForecastStoreJson : JsonSerializerContext;
