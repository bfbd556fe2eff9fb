using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Telemetry.Contracts;
using Telemetry.Maintenance.Notifications;
using Telemetry.Mqtt;
using Telemetry.Rules.Configuration;
using Telemetry.Rules.Health;

namespace Telemetry.Rules.Alerts;

/// <summary>
/// Delivers the crew notifications that ticket changes stored in the outbox: to the broker on
/// <c>{root}/alerts/{crew}</c> (QoS 1) and to every configured webhook. Each destination keeps its own
/// delivery state, so a webhook that is down is retried with back-off without holding up the others, and a
/// notification is never sent twice to a destination that took it (receivers can still dedupe by its id,
/// which is stable per ticket and event). With InfluxDB configured, the ticket events also go to its
/// <c>events</c> measurement, through the same outbox.
/// </summary>
public sealed partial class AlertDispatcher(
    INotificationOutbox outbox,
    IMqttClient mqtt,
    IHttpClientFactory httpClients,
    AlertSettings settings,
    Topics topics,
    AlertSignal signal,
    RulesStatistics statistics,
    TimeProvider clock,
    ILogger<AlertDispatcher> logger,
    TicketTimeline? timeline = null) : BackgroundService
{
    public const string HttpClientName = "alerts";
    private const int BatchSize = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await DeliverDueAsync(stoppingToken).ConfigureAwait(false);
                await signal.WaitAsync(settings.PollInterval, clock, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The outbox keeps everything undelivered; the next round tries again.
                LogRoundFailed(logger, ex.Message, ex);
                await Task.Delay(settings.PollInterval, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>One round: every destination's due notifications, oldest first.</summary>
    public async Task DeliverDueAsync(CancellationToken cancellationToken)
    {
        await DeliverAsync(AlertDestinations.Mqtt, PublishAsync, cancellationToken).ConfigureAwait(false);
        foreach (var hook in settings.Webhooks)
        {
            await DeliverAsync(hook.Name, (n, ct) => PostAsync(hook, n, ct), cancellationToken).ConfigureAwait(false);
        }

        if (timeline is not null)
        {
            await DeliverAsync(AlertDestinations.Influx, timeline.WriteAsync, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task DeliverAsync(string destination, Func<PendingNotification, CancellationToken, Task> send, CancellationToken cancellationToken)
    {
        while (true)
        {
            var due = await outbox.ListDueAsync(destination, clock.GetUtcNow(), BatchSize, cancellationToken).ConfigureAwait(false);
            foreach (var notification in due)
            {
                try
                {
                    await send(notification, cancellationToken).ConfigureAwait(false);
                    await outbox.MarkDeliveredAsync(notification.Id, notification.Crew, destination, clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
                    statistics.Delivery(destination, delivered: true);
                    LogDelivered(logger, notification.Id, destination, notification.Crew);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    var retryAt = clock.GetUtcNow() + RetryDelay(notification.Attempts + 1);
                    await outbox.MarkFailedAsync(notification.Id, notification.Crew, destination, ex.Message, retryAt, cancellationToken).ConfigureAwait(false);
                    statistics.Delivery(destination, delivered: false);
                    LogDeliveryFailed(logger, notification.Id, destination, notification.Attempts + 1, retryAt, ex.Message);
                }
            }

            if (due.Count < BatchSize)
            {
                return;
            }
        }
    }

    /// <summary>Doubles from the first retry delay with each failed attempt, up to the ceiling.</summary>
    public TimeSpan RetryDelay(int attempts)
    {
        var factor = Math.Pow(2, Math.Clamp(attempts - 1, 0, 30));
        var ticks = Math.Min(settings.FirstRetryDelay.Ticks * factor, settings.MaxRetryDelay.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }

    private async Task PublishAsync(PendingNotification notification, CancellationToken cancellationToken)
    {
        var channel = Identifiers.IsValid(notification.Crew) ? notification.Crew : "unassigned";
        var result = await mqtt.PublishAsync(
            new MqttApplicationMessage
            {
                Topic = topics.Alerts(channel),
                Payload = Encoding.UTF8.GetBytes(notification.Payload),
                QualityOfService = MqttQualityOfService.AtLeastOnce,
                ContentType = "application/json",
                PayloadFormatIndicator = MqttPayloadFormatIndicator.Utf8,
                UserProperties = [new MqttUserProperty("notification-id", notification.Id)],
            },
            cancellationToken).ConfigureAwait(false);

        // "No matching subscribers" is still a delivery: the broker took it, and crews subscribe with persistent sessions.
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException($"the broker refused the alert: {result.ReasonCode} {result.ReasonString}");
        }
    }

    private async Task PostAsync(WebhookSettings hook, PendingNotification notification, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(hook.Timeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, hook.Url)
        {
            Content = new StringContent(notification.Payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Notification-Id", notification.Id);
        if (hook.Token is { Length: > 0 } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        var client = httpClients.CreateClient(HttpClientName);
        try
        {
            using var response = await client.SendAsync(request, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"{hook.Url} answered {(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{hook.Url} did not answer within {hook.Timeout}");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Notification {NotificationId} delivered to {Destination} for {Crew}")]
    private static partial void LogDelivered(ILogger logger, string notificationId, string destination, string crew);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification {NotificationId} not delivered to {Destination} (attempt {Attempts}), retrying at {RetryAt}: {Reason}")]
    private static partial void LogDeliveryFailed(ILogger logger, string notificationId, string destination, int attempts, DateTimeOffset retryAt, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Alert delivery round failed: {Reason}")]
    private static partial void LogRoundFailed(ILogger logger, string reason, Exception exception);
}
