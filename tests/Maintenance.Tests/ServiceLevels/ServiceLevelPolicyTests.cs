using Telemetry.Devices.Sites;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.ServiceLevels;

namespace Telemetry.Maintenance.Tests.ServiceLevels;

public sealed class ServiceLevelPolicyTests
{
    private static readonly DateTimeOffset Opened = new(2026, 11, 22, 19, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(FaultGrade.Grade1, 10)]
    [InlineData(FaultGrade.Grade2, 60)]
    [InlineData(FaultGrade.Grade3, 120)]
    [InlineData(FaultGrade.Grade4, 120)]
    public void Response_deadline_follows_the_grade(FaultGrade grade, int minutes) =>
        Assert.Equal(Opened.AddMinutes(minutes), ServiceLevelPolicy.Default.DeadlinesFor(grade, CrewZone.Inner, Opened).RespondBy);

    [Theory]
    [InlineData(CrewZone.Inner, 2)]
    [InlineData(CrewZone.Second, 3)]
    [InlineData(CrewZone.Third, 4)]
    [InlineData(CrewZone.Town, 6)]
    [InlineData(CrewZone.Contract, 24)]
    public void Grade1_arrival_deadline_follows_the_crew_zone(CrewZone zone, int hours) =>
        Assert.Equal(Opened.AddHours(hours), ServiceLevelPolicy.Default.DeadlinesFor(FaultGrade.Grade1, zone, Opened).OnSiteBy);

    [Fact]
    public void Contract_zone_arrival_is_the_configured_contract_time()
    {
        var policy = new ServiceLevelPolicy { ContractArrival = TimeSpan.FromHours(36) };

        Assert.Equal(Opened.AddHours(36), policy.DeadlinesFor(FaultGrade.Grade1, CrewZone.Contract, Opened).OnSiteBy);
    }

    [Theory]
    [InlineData(FaultGrade.Grade2, 12)]
    [InlineData(FaultGrade.Grade3, 72)]
    public void Arrival_deadline_of_grades_2_and_3_does_not_depend_on_the_zone(FaultGrade grade, int hours)
    {
        foreach (var zone in Enum.GetValues<CrewZone>())
        {
            Assert.Equal(Opened.AddHours(hours), ServiceLevelPolicy.Default.DeadlinesFor(grade, zone, Opened).OnSiteBy);
        }
    }

    [Fact]
    public void Grade4_is_handled_remotely_with_no_arrival_or_fix_deadline()
    {
        var deadlines = ServiceLevelPolicy.Default.DeadlinesFor(FaultGrade.Grade4, CrewZone.Inner, Opened);

        Assert.Null(deadlines.OnSiteBy);
        Assert.Null(deadlines.FixBy);
    }

    [Theory]
    [InlineData(FaultGrade.Grade1, 24)]
    [InlineData(FaultGrade.Grade2, 48)]
    [InlineData(FaultGrade.Grade3, 7 * 24)]
    public void Fix_deadline_follows_the_grade_and_grade3_waits_for_the_next_patrol(FaultGrade grade, int hours) =>
        Assert.Equal(Opened.AddHours(hours), ServiceLevelPolicy.Default.DeadlinesFor(grade, CrewZone.Inner, Opened).FixBy);

    [Fact]
    public void Grade3_fix_target_can_be_switched_off()
    {
        var policy = new ServiceLevelPolicy { Grade3Fix = null };

        Assert.Null(policy.DeadlinesFor(FaultGrade.Grade3, CrewZone.Inner, Opened).FixBy);
    }

    [Fact]
    public void Deadline_is_breached_only_after_it_passes_without_the_step()
    {
        var deadlines = ServiceLevelPolicy.Default.DeadlinesFor(FaultGrade.Grade1, CrewZone.Inner, Opened);
        var due = deadlines.RespondBy!.Value;

        Assert.False(deadlines.IsBreached(DeadlineKind.Response, doneAt: null, now: due));
        Assert.True(deadlines.IsBreached(DeadlineKind.Response, doneAt: null, now: due.AddTicks(1)));
        Assert.False(deadlines.IsBreached(DeadlineKind.Response, doneAt: due, now: due.AddHours(1)));
        Assert.True(deadlines.IsBreached(DeadlineKind.Response, doneAt: due.AddMinutes(1), now: due.AddHours(1)));
    }

    [Fact]
    public void Missing_deadline_is_never_breached()
    {
        var deadlines = ServiceLevelPolicy.Default.DeadlinesFor(FaultGrade.Grade4, CrewZone.Inner, Opened);

        Assert.False(deadlines.IsBreached(DeadlineKind.Arrival, doneAt: null, now: Opened.AddYears(1)));
    }

    [Fact]
    public void Invalid_durations_are_named_by_validation()
    {
        var policy = new ServiceLevelPolicy { Grade1Respond = TimeSpan.Zero, TownArrival = TimeSpan.FromHours(-1) };

        var problems = policy.Validate();

        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("Grade1Respond", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("TownArrival", StringComparison.Ordinal));
        Assert.Empty(ServiceLevelPolicy.Default.Validate());
    }
}
