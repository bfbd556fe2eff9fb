using Telemetry.Hosting;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Telemetry.Contracts;
using Telemetry.Devices.Sites;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Storage;
using Telemetry.Maintenance.Tickets;
using Telemetry.Mqtt;
using Telemetry.Rules.Alerts;
using Telemetry.Rules.Configuration;
using Telemetry.Rules.Health;
using Telemetry.Testing;

namespace Telemetry.Rules.Tests.Alerts;

/// <summary>Crew notifications leaving the outbox for a real broker and a real HTTP endpoint.</summary>
public sealed class AlertDispatcherTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 22, 19, 0, 0, TimeSpan.Zero));
    private readonly SqliteDatabase _database = new(Path.Combine(RepositoryPaths.NewScratchDirectory("alerts"), "maintenance.db"));
    private readonly ConcurrentQueue<(string Id, string Body)> _posts = new();
    private readonly HttpListener _webhook = new();
    private MosquittoServer _broker = null!;
    private MqttClient _rules = null!;
    private BrokerRecorder _crew = null!;
    private int _failuresLeft;
    private Task _serving = Task.CompletedTask;
    private Uri _webhookUrl = null!;

    public async Task InitializeAsync()
    {
        _broker = await MosquittoServer.StartAsync();
        _rules = new MqttClient(_broker.ClientOptions("rules") with { ClientId = "rules-alerts" });
        await _rules.ConnectAsync(CancellationToken.None);
        _crew = await BrokerRecorder.StartAsync(_broker, "lighting/alerts/#");
        var port = FreePort.Next();
        _webhookUrl = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/hook/"));
        _webhook.Prefixes.Add(_webhookUrl.ToString());
        _webhook.Start();
        _serving = ServeAsync();
    }

    public async Task DisposeAsync()
    {
        _webhook.Stop();
        await _serving.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _webhook.Close();
        await _crew.DisposeAsync();
        await _rules.DisposeAsync();
        await _broker.DisposeAsync();
    }

    [Fact]
    public async Task An_opened_ticket_reaches_its_crew_topic_and_a_failing_webhook_is_retried_until_it_takes_it_once()
    {
        _failuresLeft = 2;
        var dispatcher = Dispatcher();
        var opened = await Tickets().RecordAsync(Dark("mast-07"), CancellationToken.None);
        var number = opened.Ticket.Number.ToString();

        await dispatcher.DeliverDueAsync(CancellationToken.None);
        var alert = await Eventually.ValueAsync(
            () => Task.FromResult(_crew.Messages.FirstOrDefault(m => m.Topic == "lighting/alerts/crew-masts")),
            m => m is not null,
            "the alert on the crew's topic");
        using (var payload = JsonDocument.Parse(alert!.Payload))
        {
            Assert.Equal(number, payload.RootElement.GetProperty("ticket_number").GetString());
            Assert.Equal(1, payload.RootElement.GetProperty("grade").GetInt32());
        }

        Assert.Single(_posts);

        // Due again after the back-off (1 s, then 2 s), not before.
        await dispatcher.DeliverDueAsync(CancellationToken.None);
        Assert.Single(_posts);
        _clock.Advance(TimeSpan.FromSeconds(1.5));
        await dispatcher.DeliverDueAsync(CancellationToken.None);
        Assert.Equal(2, _posts.Count);
        _clock.Advance(TimeSpan.FromSeconds(2.5));
        await dispatcher.DeliverDueAsync(CancellationToken.None);
        Assert.Equal(3, _posts.Count);

        // Taken: never sent again, to the webhook or to the broker.
        _clock.Advance(TimeSpan.FromMinutes(10));
        await dispatcher.DeliverDueAsync(CancellationToken.None);
        await Task.Delay(500);
        Assert.Equal(3, _posts.Count);
        Assert.Single(_crew.Messages, m => m.Topic == "lighting/alerts/crew-masts");
        Assert.All(_posts, p => Assert.Equal($"{number}/opened", p.Id));
    }

    [Fact]
    public void Retry_delays_double_up_to_the_ceiling()
    {
        var dispatcher = Dispatcher();
        Assert.Equal(TimeSpan.FromSeconds(1), dispatcher.RetryDelay(1));
        Assert.Equal(TimeSpan.FromSeconds(2), dispatcher.RetryDelay(2));
        Assert.Equal(TimeSpan.FromSeconds(64), dispatcher.RetryDelay(7));
        Assert.Equal(TimeSpan.FromMinutes(5), dispatcher.RetryDelay(40));
    }

    private AlertDispatcher Dispatcher()
    {
        var services = new ServiceCollection();
        services.AddHttpClient(AlertDispatcher.HttpClientName);
        var http = services.BuildServiceProvider().GetRequiredService<IHttpClientFactory>();
        var settings = new AlertSettings { Webhooks = [new WebhookSettings { Name = "ops", Url = _webhookUrl, Token = "s3cret" }] };
        return new AlertDispatcher(
            new SqliteNotificationOutbox(_database), _rules, http, settings, new Topics(), new AlertSignal(), new RulesStatistics(_clock, new ConsumerProgress(_clock, TimeSpan.FromSeconds(30))), _clock, NullLogger<AlertDispatcher>.Instance);
    }

    private SqliteTicketRepository Tickets() => new(_database, new TicketOptions(), _clock);

    private FaultDetected Dark(string mast) => new(
        new AssetRef("north", "gw-north-01", mast),
        FaultType.TotalDark,
        FaultGrade.Grade1,
        _clock.GetUtcNow(),
        $"{mast}: 12 of 12 lamps dark while commanded on",
        new Dictionary<string, double> { ["lamps_lit"] = 0 },
        "crew-masts",
        CrewZone.Inner);

    private async Task ServeAsync()
    {
        while (_webhook.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _webhook.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream);
            var body = await reader.ReadToEndAsync();
            var authorised = context.Request.Headers["Authorization"] == "Bearer s3cret";
            _posts.Enqueue((context.Request.Headers["X-Notification-Id"] ?? "", body));
            context.Response.StatusCode = !authorised ? 401 : Interlocked.Decrement(ref _failuresLeft) >= 0 ? 503 : 204;
            context.Response.Close();
        }
    }
}
