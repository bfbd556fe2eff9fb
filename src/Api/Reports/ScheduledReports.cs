using System.Text.Json;
using Telemetry.Hosting;

namespace Telemetry.Api.Reports;

/// <summary>
/// Makes the reports the <see cref="ReportSchedule"/> owes and stores each once in <see cref="StoredReports"/>, so
/// that a month's figures are frozen as they stood after it ended. It looks at start and then every
/// <see cref="ReportScheduleSettings.CheckEvery"/>: what is stored already is not made again (across restarts, and by a
/// second Api), one missed while the Api was down is made at the next start, and one that fails (the readings store
/// down) is logged, counted on health and tried again at the next look.
/// </summary>
public sealed partial class ScheduledReports(
    ReportSchedule schedule,
    MonthlyReports monthly,
    FaultAnalyses faultAnalyses,
    StoredReports store,
    ReportScheduleSettings settings,
    JsonSerializerOptions json,
    TimeProvider clock,
    ILogger<ScheduledReports> logger) : BackgroundService, IHealthSource
{
    private readonly Lock gate = new();
    private long stored;
    private long failed;
    private int pending;
    private string? lastFailure;
    private DateTimeOffset? lastRun;

    public string Name => "scheduled_reports";

    public HealthVerdict Verdict
    {
        get
        {
            lock (gate)
            {
                return HealthVerdict.Healthy.When(
                    pending > 0, HealthStatus.Degraded, $"scheduled reports: {pending} due could not be made, trying again: {lastFailure}");
            }
        }
    }

    public void Write(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        lock (gate)
        {
            writer.WriteNumber("stored", stored);
            writer.WriteNumber("failed", failed);
            writer.WriteNumber("pending", pending);
            if (lastRun is { } at)
            {
                writer.WriteString("last_run", at);
            }
        }
    }

    /// <summary>
    /// Makes and stores every report due now and not stored yet; returns how many this call stored. A report that
    /// fails is counted and left for the next call; the others are made all the same.
    /// </summary>
    public async Task<int> GenerateDueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var due = schedule.DueAt(now).ToList();
        var storedOf = new Dictionary<string, IReadOnlySet<(string Period, string Scope)>>(StringComparer.Ordinal);
        var made = 0;
        var failures = 0;
        string? failure = null;
        foreach (var report in due)
        {
            try
            {
                if (!storedOf.TryGetValue(report.Kind, out var already))
                {
                    storedOf[report.Kind] = already = await store.StoredOfAsync(report.Kind, cancellationToken);
                }

                if (already.Contains((report.Period, report.Scope.ToString())))
                {
                    continue;
                }

                var (content, workbook) = await MakeAsync(report, cancellationToken);
                if (await store.AddAsync(report.Kind, report.Period, report.Scope.ToString(), clock.GetUtcNow(), content, workbook, cancellationToken))
                {
                    made++;
                    LogStored(logger, report.Kind, report.Period, report.Scope.ToString());
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                failures++;
                failure = $"{report.Kind} {report.Period} {report.Scope}: {ex.Message}";
                LogFailed(logger, ex, report.Kind, report.Period, report.Scope.ToString());
            }
        }

        lock (gate)
        {
            stored += made;
            failed += failures;
            pending = failures;
            lastFailure = failure;
            lastRun = now;
        }

        return made;
    }

    private async Task<(string Json, byte[] Workbook)> MakeAsync(DueReport report, CancellationToken cancellationToken)
    {
        if (report.Half is { } half)
        {
            var analysis = FaultAnalysisView.Of(await faultAnalyses.ComputeAsync(half, report.Scope, cancellationToken));
            return (JsonSerializer.Serialize(analysis, json), FaultAnalysisExport.Workbook(analysis));
        }

        var view = MonthlyReportView.Of(await monthly.ComputeAsync(report.Month, report.Scope, cancellationToken));
        return (JsonSerializer.Serialize(view, json), MonthlyReportWorkbook.Write(view));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!settings.Scheduled)
        {
            return;
        }

        try
        {
            using var timer = new PeriodicTimer(settings.CheckEvery, clock);
            do
            {
                try
                {
                    await GenerateDueAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // The schedule itself failed (the plant or the clock): the rest of the Api goes on; the next look tries again.
                    lock (gate)
                    {
                        failed++;
                        pending = Math.Max(pending, 1);
                        lastFailure = ex.Message;
                    }

                    LogRunFailed(logger, ex);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stored the {Kind} report of {Period} for {Scope}")]
    private static partial void LogStored(ILogger logger, string kind, string period, string scope);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not make the {Kind} report of {Period} for {Scope}; trying again later")]
    private static partial void LogFailed(ILogger logger, Exception exception, string kind, string period, string scope);

    [LoggerMessage(Level = LogLevel.Error, Message = "The report schedule failed; trying again later")]
    private static partial void LogRunFailed(ILogger logger, Exception exception);
}
