using System.Globalization;
using Telemetry.Contracts;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Thresholds;
using Telemetry.Rules.Evaluation;

namespace Telemetry.Rules.Catalogue;

/// <summary>
/// A gateway's MQTT session lost (its will says offline) for longer than the grace time:
/// <see cref="FaultType.GatewayOffline"/>, grade 2 by day and grade 1 at night, when the lighting it watches is due
/// on and nobody can see whether it is. Detected by day and still offline at nightfall, it is reported again with
/// grade 1 so that the ticket is regraded. The grace time and the offline time are measured on arrival: the will's
/// own time is when the gateway connected, not when it was lost. Clears when the gateway is online again.
/// </summary>
internal sealed class GatewayOfflineRule
{
    /// <summary>
    /// Records the state; going offline only starts the grace time, which <see cref="Check"/> judges (on the state
    /// itself and on every tick) while Rules is keeping up.
    /// </summary>
    public void OnState(GatewaySession session, GatewayStatus status, DateTimeOffset now, ICollection<FaultTransition> output)
    {
        if (status == GatewayStatus.Offline)
        {
            if (session.Status != GatewayStatus.Offline)
            {
                session.Status = GatewayStatus.Offline;
                session.OfflineSince = now;
            }

            return;
        }

        var wasOffline = session.Status == GatewayStatus.Offline;
        session.Status = GatewayStatus.Online;
        session.OfflineSince = null;
        if (wasOffline)
        {
            // Devices could not report while the gateway was away.
            session.RestartSilenceLimits(now);
        }

        if (session.OfflineActive)
        {
            session.OfflineActive = false;
            output.Add(new FaultCleared(session.Asset, FaultType.GatewayOffline, now, "gateway online again"));
        }
    }

    public void Check(GatewaySession session, DateTimeOffset now, ResolvedThresholds thresholds, ICollection<FaultTransition> output)
    {
        if (session.Status != GatewayStatus.Offline || session.OfflineSince is not { } since)
        {
            return;
        }

        var grade = GradeAt(session, now);
        if (!session.OfflineActive)
        {
            if (now - since < TimeSpan.FromSeconds(thresholds[ThresholdCatalogue.GatewayOfflineGraceS]))
            {
                return;
            }

            session.OfflineActive = true;
        }
        else if (grade >= session.OfflineGrade)
        {
            return;
        }

        session.OfflineGrade = grade;
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"gateway offline for {(now - since).TotalMinutes:0} min{(grade == FaultGrade.Grade1 ? ", at night with the lighting due on" : "")}");
        output.Add(new FaultDetected(session.Asset, FaultType.GatewayOffline, grade, now, summary,
            new Dictionary<string, double>(StringComparer.Ordinal) { ["offline_s"] = (now - since).TotalSeconds }, session.Crew, session.Zone));
    }

    /// <summary>Grade 1 while it is night at the site, else the catalogue's grade 2.</summary>
    public static FaultGrade GradeAt(GatewaySession session, DateTimeOffset now) =>
        session.Daylight is { } sun && sun.IsNight(now) ? FaultGrade.Grade1 : FaultType.GatewayOffline.DefaultGrade();
}
