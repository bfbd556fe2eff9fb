using Telemetry.Contracts;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Thresholds;
using Telemetry.Rules.Catalogue;

namespace Telemetry.Rules.Evaluation;

/// <summary>A rule that reads a threshold, and the fault types it raises.</summary>
/// <param name="Rule">The rule's name, as in the fault table.</param>
/// <param name="Faults">The fault types the rule raises.</param>
public sealed record ThresholdUse(string Rule, IReadOnlyList<FaultType> Faults);

/// <summary>
/// The rules an engine judges with, in the order it calls them, and the threshold catalogue their declarations make.
/// <see cref="Registered"/> is the one registration list of the product's rules: a rule not listed there is not judged.
/// A set checks itself when built: rule names unique, each fault type raised by one rule, thresholds named once.
/// </summary>
public sealed class RuleSet
{
    private readonly Rule[] rules;
    private readonly Dictionary<FaultType, Rule> byFault = [];
    private readonly Dictionary<string, Rule> byName = new(StringComparer.Ordinal);

    internal RuleSet(IEnumerable<Rule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        this.rules = [.. rules];
        for (var slot = 0; slot < this.rules.Length; slot++)
        {
            var rule = this.rules[slot];
            if (rule.Slot >= 0)
            {
                throw new ArgumentException($"rule {rule.Name} already belongs to a rule set", nameof(rules));
            }

            if (!byName.TryAdd(rule.Name, rule))
            {
                throw new ArgumentException($"two rules are named {rule.Name}", nameof(rules));
            }

            if (rule.Faults.Count == 0)
            {
                throw new ArgumentException($"rule {rule.Name} raises no fault type", nameof(rules));
            }

            foreach (var sheet in rule.Faults)
            {
                if (!byFault.TryAdd(sheet.Fault, rule))
                {
                    throw new ArgumentException($"fault type {sheet.Fault} is raised by both {byFault[sheet.Fault].Name} and {rule.Name}", nameof(rules));
                }
            }

            foreach (var band in rule.Bands)
            {
                if (!rule.Thresholds.Contains(band.Trip) || !rule.Thresholds.Contains(band.Clear))
                {
                    throw new ArgumentException($"rule {rule.Name} has a band of thresholds it does not declare", nameof(rules));
                }
            }

            rule.Slot = slot;
        }

        Thresholds = new ThresholdCatalogue(this.rules.SelectMany(r => r.Thresholds), this.rules.SelectMany(r => r.Bands));
        foreach (var rule in this.rules)
        {
            rule.Bind(this);
        }

        Dispatch = new RuleDispatch(this.rules);
    }

    /// <summary>The product's rules.</summary>
    public static RuleSet Default { get; } = new(Registered());

    /// <summary>The parameters the rules declare, with their defaults and ranges.</summary>
    public ThresholdCatalogue Thresholds { get; }

    /// <summary>The fault types the rules raise.</summary>
    public IEnumerable<FaultType> FaultTypes => byFault.Keys;

    internal IReadOnlyList<Rule> All => rules;

    /// <summary>The rules that read <paramref name="parameter"/>, each with the fault types it raises: what a change of it can move.</summary>
    public IReadOnlyList<ThresholdUse> UsesOf(ThresholdParameter parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        return [.. rules.Where(r => r.Thresholds.Contains(parameter)).Select(r => new ThresholdUse(r.Name, [.. r.Faults.Select(f => f.Fault)]))];
    }

    /// <summary>Whether a rule that reads <paramref name="parameter"/> judges devices of <paramref name="family"/>: whether a value of it for that family or one of its devices moves anything.</summary>
    public bool Reads(ThresholdParameter parameter, DeviceFamily family)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        return rules.Any(r => r.Thresholds.Contains(parameter) && r.Families.Contains(family));
    }

    internal int Count => rules.Length;

    /// <summary>The product's rules and <paramref name="more"/> after them.</summary>
    internal static RuleSet DefaultAnd(params Rule[] more) => new([.. Registered(), .. more]);

    /// <summary>
    /// The registration list: one line a rule, in the order they judge a reading. Lamps before theft, since theft
    /// learns only from readings the lamp rule has seen healthy; theft before day burning, which reads its baseline.
    /// </summary>
    internal static IEnumerable<Rule> Registered() =>
    [
        new LampOutageRule(),
        new CableTheftRule(),
        new DayBurningRule(),
        new InsulationBelowLimit(),
        new LeakageAboveLimit(),
        new EarthResistanceAboveLimit(),
        new ClockDriftRule(),
        new DoorOpenRule(),
        new ManualOverrideRule(),
        new DeviceSilenceRule(),
        new GatewayOfflineRule(),
        new UnknownDeviceRule(),
        new BatteryTestFailedRule(),
        new ConfigurationRejectedRule(),
        new LiftFaultRule(),
        new LampRingLoweredRule(),
        new BreakerTrippedRule(),
        new SurgeProtectorSpentRule(),
        new PhaseLostRule(),
        new MainsLostRule(),
        new ChargerFaultRule(),
    ];

    /// <summary>The rules by hook and family, for the engines that judge with the set.</summary>
    internal RuleDispatch Dispatch { get; }

    /// <summary>The rule that raises <paramref name="fault"/>, or null.</summary>
    internal Rule? RuleOf(FaultType fault) => byFault.GetValueOrDefault(fault);

    /// <summary>The rule named <paramref name="name"/>, or null.</summary>
    internal Rule? Find(string? name) => name is not null && byName.TryGetValue(name, out var rule) ? rule : null;

    /// <summary>The one rule of type <typeparamref name="TRule"/> in the set, or null, for a rule that reads another's state.</summary>
    internal TRule? Find<TRule>()
        where TRule : Rule => rules.OfType<TRule>().SingleOrDefault();
}
