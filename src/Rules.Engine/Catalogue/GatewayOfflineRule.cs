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
internal sealed class GatewayOfflineRule : Rule<OfflineState>
{
    public static readonly ThresholdParameter GraceS = new("gateway_offline.grace_s", 30, 0, 3600, false, "s",
        "Seconds a gateway may stay offline (a restart) before it is a fault (grade 2, grade 1 at night).");

    public override string Name => "gateway_offline";

    public override IReadOnlyList<FaultSheet> Faults =>
        [Sheet(FaultType.GatewayOffline, "Domain §2: the plant behind it is not watched; at night its lighting is due on unseen", "2; 1 at night (raised when night falls)")];

    public override IReadOnlyList<ThresholdParameter> Thresholds => [GraceS];

    public override string Signals => "the gateway's retained state `offline` (its will)";

    public override string Debounce => "`gateway_offline.grace_s` on arrival time, judged only while Rules keeps up with the stream";

    public override string Clears => "the gateway's state `online`";

    public override RuleScope Scope => RuleScope.Gateway;

    public override bool JudgesAbsence => true;

    /// <summary>Going offline starts the grace time, judged at once (while Rules keeps up) and on every tick.</summary>
    public override void OnGatewayState(GatewaySession session, GatewayStatus status, DateTimeOffset now, bool judgeAbsence, ICollection<FaultTransition> output)
    {
        var state = State(session);
        if (status == GatewayStatus.Offline)
        {
            state.Since ??= now;
            if (judgeAbsence)
            {
                Check(session, state, now, output);
            }

            return;
        }

        state.Since = null;
        if (state.Active)
        {
            state.Active = false;
            output.Add(new FaultCleared(session.Asset, FaultType.GatewayOffline, now, "gateway online again"));
        }
    }

    public override void OnGatewayTick(GatewaySession session, DateTimeOffset now, ICollection<FaultTransition> output)
    {
        if (Peek(session) is { } state)
        {
            Check(session, state, now, output);
        }
    }

    /// <summary>Grade 1 while it is night at the site, else the catalogue's grade 2.</summary>
    public static FaultGrade GradeAt(GatewaySession session, DateTimeOffset now) =>
        session.Daylight is { } sun && sun.IsNight(now) ? FaultGrade.Grade1 : FaultType.GatewayOffline.DefaultGrade();

    protected override void Reconcile(OfflineState state, AssetOwner owner, Func<AssetRef, FaultType, bool> isOpen, DateTimeOffset now)
    {
        state.Active = isOpen(owner.Session.Asset, FaultType.GatewayOffline);
        if (state.Active)
        {
            state.Grade = GradeAt(owner.Session, now);
        }
    }

    /// <summary>Offline when saved and not heard online since: the grace time goes on from when it began.</summary>
    protected override void AfterImport(OfflineState state, AssetOwner owner)
    {
        if (state.Since is null)
        {
            return;
        }

        if (owner.Session.Status == GatewayStatus.Online)
        {
            state.Since = null;
        }
        else
        {
            owner.Session.Status ??= GatewayStatus.Offline;
        }
    }

    private static void Check(GatewaySession session, OfflineState state, DateTimeOffset now, ICollection<FaultTransition> output)
    {
        if (session.Status != GatewayStatus.Offline || state.Since is not { } since)
        {
            return;
        }

        var grade = GradeAt(session, now);
        if (!state.Active)
        {
            if (now - since < TimeSpan.FromSeconds(session.Thresholds[GraceS]))
            {
                return;
            }

            state.Active = true;
        }
        else if (grade >= state.Grade)
        {
            return;
        }

        state.Grade = grade;
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"gateway offline for {(now - since).TotalMinutes:0} min{(grade == FaultGrade.Grade1 ? ", at night with the lighting due on" : "")}");
        output.Add(new FaultDetected(session.Asset, FaultType.GatewayOffline, grade, now, summary,
            new Dictionary<string, double>(StringComparer.Ordinal) { ["offline_s"] = (now - since).TotalSeconds }, session.Crew, session.Zone));
    }
}

/// <summary>A gateway's offline condition: since when (arrival time), reported or not, and at which grade.</summary>
internal sealed class OfflineState
{
    public DateTimeOffset? Since { get; set; }

    public bool Active { get; set; }

    public FaultGrade Grade { get; set; } = FaultGrade.Grade2;
}
