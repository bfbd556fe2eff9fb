using Telemetry.Devices.Sites;
using Telemetry.Maintenance.Faults;

namespace Telemetry.Maintenance.ServiceLevels;

/// <summary>
/// The service-level targets of domain section 3: how long after opening a ticket of each grade must be acknowledged,
/// reached and fixed. Every value is a setting; the defaults are the regulation's.
/// </summary>
public sealed record ServiceLevelPolicy
{
    /// <summary>The regulation's defaults.</summary>
    public static ServiceLevelPolicy Default { get; } = new();

    public TimeSpan Grade1Respond { get; init; } = TimeSpan.FromMinutes(10);

    public TimeSpan Grade2Respond { get; init; } = TimeSpan.FromHours(1);

    public TimeSpan Grade3Respond { get; init; } = TimeSpan.FromHours(2);

    public TimeSpan Grade4Respond { get; init; } = TimeSpan.FromHours(2);

    /// <summary>Grade 1 on site, inner ring.</summary>
    public TimeSpan InnerArrival { get; init; } = CrewZone.Inner.DefaultArrivalTarget()!.Value;

    /// <summary>Grade 1 on site, second ring.</summary>
    public TimeSpan SecondArrival { get; init; } = CrewZone.Second.DefaultArrivalTarget()!.Value;

    /// <summary>Grade 1 on site, third ring.</summary>
    public TimeSpan ThirdArrival { get; init; } = CrewZone.Third.DefaultArrivalTarget()!.Value;

    /// <summary>Grade 1 on site, neighbouring towns.</summary>
    public TimeSpan TownArrival { get; init; } = CrewZone.Town.DefaultArrivalTarget()!.Value;

    /// <summary>Grade 1 on site beyond the towns: the contract's time.</summary>
    public TimeSpan ContractArrival { get; init; } = TimeSpan.FromHours(24);

    public TimeSpan Grade2Arrival { get; init; } = TimeSpan.FromHours(12);

    public TimeSpan Grade3Arrival { get; init; } = TimeSpan.FromHours(72);

    public TimeSpan Grade1Fix { get; init; } = TimeSpan.FromHours(24);

    public TimeSpan Grade2Fix { get; init; } = TimeSpan.FromHours(48);

    /// <summary>Grade 3 is fixed "with the next patrol"; null sets no fix target at all.</summary>
    public TimeSpan? Grade3Fix { get; init; } = TimeSpan.FromDays(7);

    /// <summary>How long after opening a ticket of the grade must be acknowledged.</summary>
    public TimeSpan RespondWithin(FaultGrade grade) => grade switch
    {
        FaultGrade.Grade1 => Grade1Respond,
        FaultGrade.Grade2 => Grade2Respond,
        FaultGrade.Grade3 => Grade3Respond,
        FaultGrade.Grade4 => Grade4Respond,
        _ => throw new ArgumentOutOfRangeException(nameof(grade), grade, "unknown fault grade"),
    };

    /// <summary>How long after opening a crew must be on site; null for grade 4, which is handled remotely.</summary>
    public TimeSpan? ArriveWithin(FaultGrade grade, CrewZone zone) => grade switch
    {
        FaultGrade.Grade1 => zone switch
        {
            CrewZone.Inner => InnerArrival,
            CrewZone.Second => SecondArrival,
            CrewZone.Third => ThirdArrival,
            CrewZone.Town => TownArrival,
            CrewZone.Contract => ContractArrival,
            _ => throw new ArgumentOutOfRangeException(nameof(zone), zone, "unknown crew zone"),
        },
        FaultGrade.Grade2 => Grade2Arrival,
        FaultGrade.Grade3 => Grade3Arrival,
        FaultGrade.Grade4 => null,
        _ => throw new ArgumentOutOfRangeException(nameof(grade), grade, "unknown fault grade"),
    };

    /// <summary>How long after opening the fault must be fixed; null when the grade sets no target.</summary>
    public TimeSpan? FixWithin(FaultGrade grade) => grade switch
    {
        FaultGrade.Grade1 => Grade1Fix,
        FaultGrade.Grade2 => Grade2Fix,
        FaultGrade.Grade3 => Grade3Fix,
        FaultGrade.Grade4 => null,
        _ => throw new ArgumentOutOfRangeException(nameof(grade), grade, "unknown fault grade"),
    };

    /// <summary>The deadlines of a ticket of <paramref name="grade"/> in <paramref name="zone"/> opened at <paramref name="openedAt"/>.</summary>
    public ServiceDeadlines DeadlinesFor(FaultGrade grade, CrewZone zone, DateTimeOffset openedAt) => new(
        openedAt + RespondWithin(grade),
        openedAt + ArriveWithin(grade, zone),
        openedAt + FixWithin(grade));

    /// <summary>One message per invalid setting, naming it; empty when the policy is usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        void Positive(TimeSpan? value, string name)
        {
            if (value is { } v && v <= TimeSpan.Zero)
            {
                problems.Add($"{name} must be a positive duration, not {v}");
            }
        }

        Positive(Grade1Respond, nameof(Grade1Respond));
        Positive(Grade2Respond, nameof(Grade2Respond));
        Positive(Grade3Respond, nameof(Grade3Respond));
        Positive(Grade4Respond, nameof(Grade4Respond));
        Positive(InnerArrival, nameof(InnerArrival));
        Positive(SecondArrival, nameof(SecondArrival));
        Positive(ThirdArrival, nameof(ThirdArrival));
        Positive(TownArrival, nameof(TownArrival));
        Positive(ContractArrival, nameof(ContractArrival));
        Positive(Grade2Arrival, nameof(Grade2Arrival));
        Positive(Grade3Arrival, nameof(Grade3Arrival));
        Positive(Grade1Fix, nameof(Grade1Fix));
        Positive(Grade2Fix, nameof(Grade2Fix));
        Positive(Grade3Fix, nameof(Grade3Fix));
        return problems;
    }
}
