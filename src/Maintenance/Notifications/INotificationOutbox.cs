namespace Telemetry.Maintenance.Notifications;

/// <summary>
/// The crew-notification outbox. Ticket changes put notifications in (in their own transaction); each destination
/// (<c>mqtt</c>, a webhook name) takes them out and reports back. A notification is due at every destination until it
/// has been delivered there, so delivery is at least once and each destination keeps its own progress.
/// </summary>
public interface INotificationOutbox
{
    /// <summary>
    /// Up to <paramref name="max"/> notifications (one per channel) not yet delivered to <paramref name="destination"/>
    /// whose retry time, if one failed, has come by <paramref name="now"/>; oldest first.
    /// </summary>
    Task<IReadOnlyList<PendingNotification>> ListDueAsync(string destination, DateTimeOffset now, int max, CancellationToken cancellationToken);

    /// <summary>Records the delivery of the notification to <paramref name="channel"/> at <paramref name="destination"/>; it is not due there again.</summary>
    Task MarkDeliveredAsync(string notificationId, string channel, string destination, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>
    /// Records a failed delivery: the attempt count goes up, and the notification is due again at
    /// <paramref name="retryAt"/> (the caller computes the back-off from <see cref="PendingNotification.Attempts"/>).
    /// </summary>
    Task MarkFailedAsync(string notificationId, string channel, string destination, string error, DateTimeOffset retryAt, CancellationToken cancellationToken);
}
