using System.Globalization;
using Telemetry.Devices.Sites;

namespace Telemetry.Maintenance.ServiceLevels;

/// <summary>
/// The service-level terms admins tune (domain section 3 and 4): the <see cref="ServiceLevelPolicy"/> of each grade's
/// and zone's times, and the repeat-repair window. Immutable; a change replaces the terms whole.
/// </summary>
public sealed record ServiceLevelTerms(ServiceLevelPolicy Policy, TimeSpan RepeatRepairWindow)
{
    /// <summary>The longest time any term may be set to: beyond it a deadline means nothing to a crew.</summary>
    public static readonly TimeSpan MaxTerm = TimeSpan.FromDays(90);

    /// <summary>The compiled defaults: the regulation's times and a 7-day repeat window.</summary>
    public static ServiceLevelTerms Default { get; } = new(ServiceLevelPolicy.Default, TimeSpan.FromDays(7));

    /// <summary>
    /// Every term by its one name, used in storage and over HTTP alike, in whole minutes. Only
    /// <c>grade3_fix_min</c> may be null (no fix target: "with the next patrol"); only the repeat window may be 0 (no
    /// repeat flagging).
    /// </summary>
    public static IReadOnlyList<ServiceLevelTerm> All { get; } =
    [
        Term("grade1_respond_min", "Grade 1: acknowledge within", t => t.Policy.Grade1Respond, (t, v) => t with { Policy = t.Policy with { Grade1Respond = v!.Value } }),
        Term("grade2_respond_min", "Grade 2: acknowledge within", t => t.Policy.Grade2Respond, (t, v) => t with { Policy = t.Policy with { Grade2Respond = v!.Value } }),
        Term("grade3_respond_min", "Grade 3: acknowledge within", t => t.Policy.Grade3Respond, (t, v) => t with { Policy = t.Policy with { Grade3Respond = v!.Value } }),
        Term("grade4_respond_min", "Grade 4: acknowledge within", t => t.Policy.Grade4Respond, (t, v) => t with { Policy = t.Policy with { Grade4Respond = v!.Value } }),
        Term("grade1_arrival_inner_min", "Grade 1: on site within, inner ring", t => t.Policy.InnerArrival, (t, v) => t with { Policy = t.Policy with { InnerArrival = v!.Value } }),
        Term("grade1_arrival_second_min", "Grade 1: on site within, second ring", t => t.Policy.SecondArrival, (t, v) => t with { Policy = t.Policy with { SecondArrival = v!.Value } }),
        Term("grade1_arrival_third_min", "Grade 1: on site within, third ring", t => t.Policy.ThirdArrival, (t, v) => t with { Policy = t.Policy with { ThirdArrival = v!.Value } }),
        Term("grade1_arrival_town_min", "Grade 1: on site within, neighbouring towns", t => t.Policy.TownArrival, (t, v) => t with { Policy = t.Policy with { TownArrival = v!.Value } }),
        Term("grade1_arrival_contract_min", "Grade 1: on site within, farther (by contract)", t => t.Policy.ContractArrival, (t, v) => t with { Policy = t.Policy with { ContractArrival = v!.Value } }),
        Term("grade2_arrival_min", "Grade 2: on site within", t => t.Policy.Grade2Arrival, (t, v) => t with { Policy = t.Policy with { Grade2Arrival = v!.Value } }),
        Term("grade3_arrival_min", "Grade 3: on site within", t => t.Policy.Grade3Arrival, (t, v) => t with { Policy = t.Policy with { Grade3Arrival = v!.Value } }),
        Term("grade1_fix_min", "Grade 1: fixed within", t => t.Policy.Grade1Fix, (t, v) => t with { Policy = t.Policy with { Grade1Fix = v!.Value } }),
        Term("grade2_fix_min", "Grade 2: fixed within", t => t.Policy.Grade2Fix, (t, v) => t with { Policy = t.Policy with { Grade2Fix = v!.Value } }),
        Term("grade3_fix_min", "Grade 3: fixed within (null: with the next patrol, no target)", t => t.Policy.Grade3Fix, (t, v) => t with { Policy = t.Policy with { Grade3Fix = v } }, optional: true),
        Term("repeat_repair_window_min", "A fault back this soon after its ticket closed is a repeat repair (0: never)", t => t.RepeatRepairWindow, (t, v) => t with { RepeatRepairWindow = v!.Value }, zeroAllowed: true),
    ];

    /// <summary>The term called <paramref name="name"/>, or null.</summary>
    public static ServiceLevelTerm? Find(string? name) => All.FirstOrDefault(t => t.Name == name);

    /// <summary>Every term as whole minutes by name (null for no target), as stored and served.</summary>
    public IReadOnlyDictionary<string, long?> ToMinutes() => All.ToDictionary(t => t.Name, t => t.Get(this) is { } v ? (long?)(long)v.TotalMinutes : null, StringComparer.Ordinal);

    /// <summary>
    /// Terms from whole minutes by name: a name not given keeps <paramref name="basis"/>'s value, a name not known is
    /// ignored (stored by a later release). Values are not checked here: see <see cref="ServiceLevelTerm.Check"/>.
    /// </summary>
    public static ServiceLevelTerms FromMinutes(IReadOnlyDictionary<string, long?> minutes, ServiceLevelTerms basis)
    {
        ArgumentNullException.ThrowIfNull(minutes);
        ArgumentNullException.ThrowIfNull(basis);
        var terms = basis;
        foreach (var term in All)
        {
            if (minutes.TryGetValue(term.Name, out var value) && (value is not null || term.Optional))
            {
                terms = term.Set(terms, value is { } m ? TimeSpan.FromMinutes(m) : null);
            }
        }

        return terms;
    }

    private static ServiceLevelTerm Term(string name, string description, Func<ServiceLevelTerms, TimeSpan?> get, Func<ServiceLevelTerms, TimeSpan?, ServiceLevelTerms> set, bool optional = false, bool zeroAllowed = false) =>
        new(name, description, get, set, optional, zeroAllowed);
}

/// <summary>One tunable term: its name over HTTP and in storage, what it means, and how it is read and replaced.</summary>
public sealed class ServiceLevelTerm
{
    private readonly Func<ServiceLevelTerms, TimeSpan?> get;
    private readonly Func<ServiceLevelTerms, TimeSpan?, ServiceLevelTerms> set;

    internal ServiceLevelTerm(string name, string description, Func<ServiceLevelTerms, TimeSpan?> get, Func<ServiceLevelTerms, TimeSpan?, ServiceLevelTerms> set, bool optional, bool zeroAllowed)
    {
        Name = name;
        Description = description;
        this.get = get;
        this.set = set;
        Optional = optional;
        ZeroAllowed = zeroAllowed;
    }

    /// <summary>Snake case with its unit: <c>grade1_respond_min</c>.</summary>
    public string Name { get; }

    public string Description { get; }

    /// <summary>True when null (no target) is a value.</summary>
    public bool Optional { get; }

    /// <summary>True when 0 is a value.</summary>
    public bool ZeroAllowed { get; }

    public TimeSpan? Get(ServiceLevelTerms terms) => get(terms);

    public ServiceLevelTerms Set(ServiceLevelTerms terms, TimeSpan? value) => set(terms, value);

    /// <summary>Why <paramref name="minutes"/> cannot be this term's value, or null when it can.</summary>
    public string? Check(long? minutes)
    {
        var lowest = ZeroAllowed ? 0 : 1;
        var highest = (long)ServiceLevelTerms.MaxTerm.TotalMinutes;
        return minutes switch
        {
            null when !Optional => "is required: whole minutes",
            { } m when m < lowest || m > highest => string.Create(CultureInfo.InvariantCulture, $"must be whole minutes from {lowest} to {highest} (90 days), not {m}"),
            _ => null,
        };
    }
}
