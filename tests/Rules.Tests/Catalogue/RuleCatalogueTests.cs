using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Thresholds;
using Telemetry.Rules.Evaluation;

namespace Telemetry.Rules.Tests.Catalogue;

/// <summary>The registration list against the domain: every fault type judged, every threshold catalogued, every state kept.</summary>
public sealed class RuleCatalogueTests
{
    public static TheoryData<string> RuleNames() => [.. RuleSet.Default.All.Select(r => r.Name)];

    [Fact]
    public void Every_fault_type_of_the_domain_has_a_rule()
    {
        // A data gap is not judged from readings: Rules opens it on a consumer group's report of batches it will never have.
        var judged = RuleSet.Default.FaultTypes.Append(FaultType.DataGap).ToHashSet();

        Assert.Empty(FaultType.All.Where(f => !judged.Contains(f)).Select(f => f.Name));
    }

    [Theory]
    [MemberData(nameof(RuleNames))]
    public void A_rule_declares_every_threshold_it_holds_and_the_catalogue_has_them(string name)
    {
        var rule = RuleSet.Default.Find(name)!;
        var held = rule.GetType().GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(ThresholdParameter))
            .Select(f => (ThresholdParameter)f.GetValue(null)!);

        Assert.All(held, p => Assert.Contains(p, rule.Thresholds));
        Assert.All(rule.Thresholds, p => Assert.True(RuleSet.Default.Thresholds.Contains(p), $"{p.Name} is not in the catalogue"));
        Assert.All(rule.Bands, b => Assert.Contains(b.Trip, RuleSet.Default.Thresholds.Bands.Select(x => x.Trip)));
    }

    [Fact]
    public void Every_catalogued_threshold_belongs_to_a_rule_and_has_a_unit_or_is_a_ratio()
    {
        var declared = RuleSet.Default.All.SelectMany(r => r.Thresholds).ToHashSet();

        Assert.All(RuleSet.Default.Thresholds.All, p => Assert.Contains(p, declared));
        Assert.All(RuleSet.Default.Thresholds.All, p => Assert.True(p.Unit.Length > 0 || p.Name.EndsWith("_ratio", StringComparison.Ordinal), $"{p.Name} has no unit"));
    }

    [Theory]
    [MemberData(nameof(RuleNames))]
    public void A_rule_state_keeps_all_it_holds_in_what_is_saved(string name)
    {
        var rule = RuleSet.Default.Find(name)!;

        Assert.Empty(Unsaved(rule.NewState().GetType()));
    }

    [Theory]
    [MemberData(nameof(RuleNames))]
    public void A_rule_state_round_trips_through_what_is_saved(string name)
    {
        var rule = RuleSet.Default.Find(name)!;
        var state = rule.NewState();
        Fill(state);

        var saved = rule.Export(state);
        Assert.NotNull(saved);
        var restored = rule.Import(saved.Value);

        Assert.NotNull(restored);
        Assert.Equal(saved.Value.GetRawText(), rule.Export(restored)!.Value.GetRawText());
    }

    [Fact]
    public void A_fresh_state_is_not_saved()
    {
        Assert.All(RuleSet.Default.All, rule => Assert.Null(rule.Export(rule.NewState())));
    }

    [Fact]
    public void A_saved_state_that_cannot_be_read_is_skipped_not_thrown()
    {
        var rule = RuleSet.Default.Find("breaker")!;

        Assert.Null(rule.Import(JsonDocument.Parse("""{"breakers":"not a list"}""").RootElement));
    }

    [Fact]
    public void A_set_refuses_two_rules_raising_one_fault_type_and_a_rule_registered_twice()
    {
        var lamps = RuleSet.Registered().First();

        Assert.Throws<ArgumentException>(() => new RuleSet([.. RuleSet.Registered(), new Telemetry.Rules.Catalogue.InsulationBelowLimit()]));
        Assert.Throws<ArgumentException>(() => new RuleSet([lamps, lamps]));
    }

    /// <summary>Members of a state type (and of the state types it holds) that System.Text.Json would not write.</summary>
    private static IEnumerable<string> Unsaved(Type type)
    {
        foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            // Every field must be the backing field of a property that is written and read back.
            var property = field.Name is ['<', .. var rest] && rest.IndexOf('>') is var end and > 0
                ? type.GetProperty(rest[..end], BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
                : null;
            var saved = property is { GetMethod: not null, SetMethod: not null }
                && (property.GetMethod.IsPublic || property.GetCustomAttribute<JsonIncludeAttribute>() is not null)
                && (property.SetMethod.IsPublic || property.GetCustomAttribute<JsonIncludeAttribute>() is not null)
                && property.GetCustomAttribute<JsonIgnoreAttribute>() is null;
            if (!saved)
            {
                yield return $"{type.Name}.{field.Name}";
                continue;
            }

            foreach (var inner in Held(property!.PropertyType).SelectMany(Unsaved))
            {
                yield return inner;
            }
        }
    }

    private static IEnumerable<Type> Held(Type type)
    {
        if (type.IsGenericType)
        {
            return type.GetGenericArguments().SelectMany(Held);
        }

        return type.IsClass && type.Assembly == typeof(RuleSet).Assembly ? [type] : [];
    }

    /// <summary>Sets every property of a state to a value other than its default, through the same access the serialiser has.</summary>
    private static void Fill(object state)
    {
        foreach (var property in state.GetType().GetProperties(BindingFlags.Instance | BindingFlags.Public))
        {
            if (property.SetMethod is not { } set)
            {
                continue;
            }

            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            object? value = type == typeof(bool) ? true
                : type == typeof(int) ? 3
                : type == typeof(long) ? 7L
                : type == typeof(double) ? 1.5
                : type == typeof(DateTimeOffset) ? new DateTimeOffset(2026, 12, 7, 18, 30, 0, TimeSpan.Zero)
                : type.IsEnum ? Enum.GetValues(type).GetValue(Enum.GetValues(type).Length - 1)
                : type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) ? FilledList(type)
                : type.IsClass && type.Assembly == typeof(RuleSet).Assembly ? Filled(type)
                : null;
            if (value is not null)
            {
                set.Invoke(state, [value]);
            }
        }
    }

    private static object Filled(Type type)
    {
        var value = Activator.CreateInstance(type, nonPublic: true)!;
        Fill(value);
        return value;
    }

    private static object FilledList(Type type)
    {
        var list = (System.Collections.IList)Activator.CreateInstance(type)!;
        var element = type.GetGenericArguments()[0];
        list.Add(null);
        list.Add(element.IsClass ? Filled(element) : Activator.CreateInstance(element));
        return list;
    }
}
