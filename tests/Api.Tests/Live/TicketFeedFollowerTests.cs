using System.Net;
using Microsoft.Data.Sqlite;
using Telemetry.Api.Tests.Access;
using Telemetry.Testing;

namespace Telemetry.Api.Tests.Live;

/// <summary>The Api's follower of the ticket change feed, on a store another release wrote to.</summary>
public sealed class TicketFeedFollowerTests(ApiHost host) : IClassFixture<ApiHost>
{
    [Fact]
    public async Task A_change_this_release_cannot_read_is_named_on_health_and_the_api_goes_on_serving()
    {
        await using (var connection = new SqliteConnection($"Data Source={host.DatabasePath}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO ticket_changes (ticket_number, version, status, grade, fault, asset_key, crew, changed_at)
                VALUES ('YW2612-0099', 1, 'teleported', 2, 'mast_outage', 'north/gw-1/mast-09', NULL, 0)
                """;
            await command.ExecuteNonQueryAsync();
        }

        using var anonymous = host.As(null);
        var health = await Eventually.ValueAsync(
            async () => await ApiHost.JsonAsync(await anonymous.GetAsync(new Uri("/healthz", UriKind.Relative))),
            h => h.GetProperty("ticket_feed").GetProperty("status").GetString() == "unhealthy",
            "the unreadable change on health");
        Assert.Contains(health.GetProperty("ticket_feed").GetProperty("reasons").EnumerateArray(), r => r.GetString()!.Contains("ticket feed", StringComparison.Ordinal));

        using var client = host.As("operator.zhang");
        using var served = await client.GetAsync(new Uri("/api/tickets?crew=crew-north", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        using var sites = await client.GetAsync(new Uri("/api/sites", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, sites.StatusCode);
    }
}
