using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Telemetry.Testing;

namespace Telemetry.Bench.Chaos;

/// <summary>A ticket as the Api lists it: enough to tell which fault of which device it is about.</summary>
internal sealed record TicketSeen(string Number, string Fault, string Asset, string Status);

/// <summary>The tickets of the run's plant, read through the Api as an operator reads them.</summary>
internal sealed class PlantTickets : IDisposable
{
    private readonly HttpClient _http;

    private PlantTickets(HttpClient http) => _http = http;

    /// <summary>Adds an operator with the Api's own users command and signs in as it.</summary>
    public static async Task<PlantTickets> SignInAsync(Uri api, string database)
    {
        const string Name = "chaos.operator";
        var password = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        (await ExternalCommand.RunAsync("dotnet", [ServiceProcess.DllOf("Api"), "users", "set", Name, "--role", "operator", "--database", database], standardInput: password + "\n"))
            .EnsureSuccess("the Api's users command");
        var http = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(10) };
        using var issued = await http.PostAsync("/api/auth/tokens", new StringContent(
            JsonSerializer.Serialize(new { name = Name, password, client = "chaos run" }), Encoding.UTF8, "application/json"));
        issued.EnsureSuccessStatusCode();
        using var token = JsonDocument.Parse(await issued.Content.ReadAsStringAsync());
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.RootElement.GetProperty("token").GetString());
        return new PlantTickets(http);
    }

    /// <summary>Every ticket of the site, open or not.</summary>
    public async Task<IReadOnlyList<TicketSeen>> AllAsync(string site, CancellationToken cancellationToken)
    {
        const int Page = 500;
        var tickets = new List<TicketSeen>();
        while (true)
        {
            var uri = string.Create(CultureInfo.InvariantCulture, $"/api/tickets?site={site}&limit={Page}&offset={tickets.Count}");
            using var document = JsonDocument.Parse(await _http.GetStringAsync(uri, cancellationToken));
            var page = document.RootElement.GetProperty("tickets").EnumerateArray()
                .Select(t => new TicketSeen(t.GetProperty("number").GetString()!, t.GetProperty("fault").GetString()!, t.GetProperty("asset").GetString()!, t.TryGetProperty("status", out var status) ? status.GetString() ?? "" : ""))
                .ToList();
            tickets.AddRange(page);
            if (page.Count < Page)
            {
                return tickets;
            }
        }
    }

    /// <summary>Whether the ticket's asset is the device or a part of it (<c>site/gateway/device[/circuit]</c>).</summary>
    public static bool IsAbout(TicketSeen ticket, string site, string gateway, string device)
    {
        var prefix = $"{site}/{gateway}/{device}";
        return ticket.Asset == prefix || ticket.Asset.StartsWith(prefix + "/", StringComparison.Ordinal);
    }

    public void Dispose() => _http.Dispose();
}
