using System.Globalization;
using System.Security.Claims;
using Telemetry.Api.Plant;
using Telemetry.Api.Thresholds;
using Telemetry.Contracts;
using Telemetry.InfluxDb;
using Telemetry.Maintenance.Thresholds;
using Telemetry.Rules.Evaluation;

namespace Telemetry.Api.Web.Engineering;

/// <summary>A threshold at one scope as the page shows it: the parameter, the value in force there and where it comes from, and the value set at exactly that scope.</summary>
/// <param name="Parameter">The parameter with its unit, range and uses.</param>
/// <param name="Value">The value in force at the scope.</param>
/// <param name="Source">Where it comes from: <c>device</c>, <c>site</c>, <c>family</c>, <c>global</c> or <c>default</c>.</param>
/// <param name="SourceScope">The scope key it is set at; null for the default.</param>
/// <param name="AtScope">The override set at exactly this scope; null when none.</param>
public sealed record ScopedThreshold(ThresholdParameterView Parameter, double Value, string Source, string? SourceScope, double? AtScope);

/// <summary>The thresholds at one scope, with the store's version to base a change on.</summary>
public sealed record ScopedThresholds(long Version, ThresholdScope Scope, IReadOnlyList<ScopedThreshold> Thresholds);

/// <summary>What a change or a backtest found wrong, by field (<c>value</c>, <c>reason</c>, <c>from</c>, <c>to</c>): a word of <see cref="EngineeringText"/> and, for the store's own refusals, its text.</summary>
public sealed record FieldProblem(string Field, string Text, string? Detail = null);

/// <summary>The outcome of a change: applied, refused by field, or based on a version that is no longer current (changed meanwhile).</summary>
public sealed record ThresholdChangeOutcome(ThresholdChangeView? Applied, IReadOnlyList<FieldProblem> Problems, bool Stale);

/// <summary>One bin of the backtest chart: how many tickets opened in it under the proposal, under the current values, and really.</summary>
public sealed record BacktestBin(DateTimeOffset Start, int Proposed, int Current, int Actual);

/// <summary>A proposed ticket and how it compares with the current values: <c>would_open</c>, <c>regraded</c>, <c>cleared_differently</c>, <c>same</c>; or <c>would_not_open</c> for a current one the proposal does not open.</summary>
public sealed record ExpectedTicket(BacktestTicket Ticket, string Change);

/// <summary>A backtest as the page draws it: the result, its chart bins and the tickets it expects.</summary>
public sealed record BacktestView(BacktestResult Result, TimeSpan BinWidth, IReadOnlyList<BacktestBin> Bins, IReadOnlyList<ExpectedTicket> Expected);

/// <summary>The outcome of a backtest: the view, or what is wrong.</summary>
public sealed record BacktestOutcome(BacktestView? View, IReadOnlyList<FieldProblem> Problems);

/// <summary>
/// The thresholds page's data: the same store, rules, plant and backtest as <c>/api/thresholds</c>, read and changed
/// through the same handler and store calls, so that the page and the Api cannot disagree.
/// </summary>
public sealed class ThresholdsService(IThresholdStore store, RuleSet rules, ApiPlant plant, ThresholdBacktest backtest, TimeProvider clock, SiteTime siteTime)
{
    /// <summary>The most history rows shown per parameter and scope.</summary>
    public const int HistoryRows = 20;

    /// <summary>Bins of the backtest chart.</summary>
    public const int ChartBins = 24;

    /// <summary>Every scope a value can be set at: global, each family, each site, each device of the site files.</summary>
    public IReadOnlyList<ThresholdScope> Scopes()
    {
        var scopes = new List<ThresholdScope> { ThresholdScope.Global };
        scopes.AddRange(Enum.GetValues<DeviceFamily>().Select(ThresholdScope.ForFamily));
        scopes.AddRange(plant.Sites.Select(s => ThresholdScope.ForSite(s.Id)));
        scopes.AddRange(plant.Sites.SelectMany(s => s.Devices.Select(d => ThresholdScope.ForDevice(s.Id, d.Id))));
        return scopes;
    }

    /// <summary>The parameters that apply at <paramref name="scope"/> with their values there, as <c>GET /api/thresholds</c> gives them.</summary>
    public async Task<ScopedThresholds> LoadAsync(ThresholdScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var (site, device, family) = scope.Level switch
        {
            ScopeLevel.Device => (scope.Site, scope.Device, plant.Find(scope.Site!, scope.Device!)?.Device.Family),
            ScopeLevel.Site => (scope.Site, null, null),
            ScopeLevel.Family => (null, null, scope.Family),
            _ => ((string?)null, (string?)null, (DeviceFamily?)null),
        };
        if (device is not null && family is null)
        {
            throw new InvalidOperationException($"no site file lists the device of {scope.Key}");
        }

        var view = await ThresholdReader.ReadAsync(store, rules, site, device, family, cancellationToken);

        // A family or a device sees the parameters of the rules that judge its family; a site and the whole plant all of them.
        var judged = view.For?.Family is { } name && DeviceFamilyNames.TryParse(name, out var known) ? known : (DeviceFamily?)null;
        var rows = view.Parameters
            .Where(p => judged is not { } f || store.Catalogue.Find(p.Name) is not { } parameter || rules.Reads(parameter, f))
            .Select(p =>
            {
                var atScope = p.Settings.FirstOrDefault(s => s.Scope == scope.Key)?.Value;
                var global = p.Settings.FirstOrDefault(s => s.Scope == ThresholdScope.Global.Key)?.Value;
                return p.Effective is { } effective
                    ? new ScopedThreshold(p, effective.Value, effective.Source, effective.Scope, atScope)
                    : new ScopedThreshold(p, global ?? p.Default, global is null ? "default" : "global", global is null ? null : ThresholdScope.Global.Key, atScope ?? global);
            })
            .ToList();
        return new ScopedThresholds(view.Version, scope, rows);
    }

    /// <summary>The changes of <paramref name="parameter"/> at <paramref name="scope"/>, newest first.</summary>
    public async Task<IReadOnlyList<ThresholdChangeView>> HistoryAsync(string parameter, ThresholdScope scope, CancellationToken cancellationToken)
    {
        var rows = await store.HistoryAsync(parameter, scope, HistoryRows, cancellationToken);
        return [.. rows.Select(ThresholdChangeView.From)];
    }

    /// <summary>Sets <paramref name="parameter"/> at <paramref name="scope"/> for <paramref name="user"/>, with a reason, based on the version the page read.</summary>
    public async Task<ThresholdChangeOutcome> ChangeAsync(
        ClaimsPrincipal user, ThresholdParameterView parameter, ThresholdScope scope, double? value, string? reason, long basedOn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(parameter);
        ArgumentNullException.ThrowIfNull(scope);
        var problems = CheckValue(parameter, value).ToList();
        if (string.IsNullOrWhiteSpace(reason))
        {
            problems.Add(new("reason", "Problem.ReasonRequired"));
        }
        else if (reason.Length > ThresholdChange.MaxReasonLength)
        {
            problems.Add(new("reason", "Problem.ReasonTooLong"));
        }

        if (problems.Count > 0)
        {
            return new(null, problems, false);
        }

        try
        {
            var applied = await store.ApplyAsync(new ThresholdChange(parameter.Name, scope.Key, value, user.Identity!.Name!, reason!.Trim(), basedOn), cancellationToken);
            return new(ThresholdChangeView.From(applied), [], false);
        }
        catch (ThresholdValidationException ex)
        {
            return new(null, [.. ex.Problems.Select(p => new FieldProblem(p.Message.StartsWith("reason", StringComparison.Ordinal) ? "reason" : "value", "Problem.Refused", p.Message))], false);
        }
        catch (ThresholdConflictException)
        {
            return new(null, [], true);
        }
    }

    /// <summary>Replays the stored readings with <paramref name="value"/> proposed for <paramref name="parameter"/> at <paramref name="scope"/>, as <c>POST /api/thresholds/backtest</c> does; writes nothing.</summary>
    public async Task<BacktestOutcome> BacktestAsync(ThresholdParameterView parameter, ThresholdScope scope, double? value, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        ArgumentNullException.ThrowIfNull(scope);
        var problems = CheckValue(parameter, value).ToList();
        if (to <= from)
        {
            problems.Add(new("to", "Problem.ToBeforeFrom"));
        }
        else if (to - from > ThresholdBacktest.MaxRange)
        {
            problems.Add(new("to", "Problem.RangeTooLong"));
        }

        if (from > clock.GetUtcNow())
        {
            problems.Add(new("from", "Problem.FromInFuture"));
        }

        var catalogued = store.Catalogue.Find(parameter.Name);
        if (catalogued is null)
        {
            problems.Add(new("value", "Problem.Refused", $"{parameter.Name} is no threshold parameter"));
        }

        if (problems.Count > 0)
        {
            return new(null, problems);
        }

        try
        {
            var result = await backtest.RunAsync([new ProposedThreshold(catalogued!, scope, value)], from, to, cancellationToken);
            return new(View(result), []);
        }
        catch (BacktestTooLargeException ex)
        {
            return new(null, [new("value", "Problem.TooLarge", ex.Message)]);
        }
        catch (InvalidOperationException ex) when (!backtest.CanReplay)
        {
            return new(null, [new("from", "Problem.NoReadings", ex.Message)]);
        }
        catch (InfluxQueryException ex)
        {
            return new(null, [new("from", "Problem.NoReadings", ex.Message)]);
        }
    }

    /// <summary>The site of a scope (its zone is the one its dates are read in), or null.</summary>
    public static string? SiteOf(ThresholdScope scope) => scope?.Site;

    /// <summary>Whole days from <paramref name="first"/> to <paramref name="last"/> (both included) in the site's time zone, as a range.</summary>
    public (DateTimeOffset From, DateTimeOffset To) Days(DateOnly first, DateOnly last, string? site)
    {
        var zone = siteTime.ZoneOf(site);
        DateTimeOffset Midnight(DateOnly day)
        {
            var local = day.ToDateTime(TimeOnly.MinValue);
            return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
        }

        return (Midnight(first), Midnight(last.AddDays(1)));
    }

    /// <summary>Today in the site's time zone.</summary>
    public DateOnly Today(string? site) => DateOnly.FromDateTime(siteTime.Local(clock.GetUtcNow(), site).DateTime);

    /// <summary>The chart bins and expected tickets of a result: tickets counted in the bin they opened in.</summary>
    public static BacktestView View(BacktestResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var width = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMinute, (result.To - result.From).Ticks / ChartBins));
        int Bin(DateTimeOffset at) => Math.Clamp((int)((at - result.From).Ticks / width.Ticks), 0, ChartBins - 1);
        var proposed = new int[ChartBins];
        var current = new int[ChartBins];
        var actual = new int[ChartBins];
        foreach (var t in result.ProposedTickets)
        {
            proposed[Bin(t.OpenedAt)]++;
        }

        foreach (var t in result.CurrentTickets)
        {
            current[Bin(t.OpenedAt)]++;
        }

        foreach (var t in result.Actual)
        {
            actual[Bin(t.OpenedAt)]++;
        }

        var bins = Enumerable.Range(0, ChartBins).Select(i => new BacktestBin(result.From + (width * i), proposed[i], current[i], actual[i])).ToList();
        var opens = result.WouldOpen.ToHashSet();
        var regraded = result.Regraded.Select(r => r.Proposed).ToHashSet();
        var cleared = result.ClearedDifferently.Select(c => c.Proposed).ToHashSet();
        var expected = result.ProposedTickets
            .Select(t => new ExpectedTicket(t, opens.Contains(t) ? "would_open" : regraded.Contains(t) ? "regraded" : cleared.Contains(t) ? "cleared_differently" : "same"))
            .Concat(result.WouldNotOpen.Select(t => new ExpectedTicket(t, "would_not_open")))
            .OrderBy(e => e.Ticket.OpenedAt)
            .ToList();
        return new BacktestView(result, width, bins, expected);
    }

    private static IEnumerable<FieldProblem> CheckValue(ThresholdParameterView parameter, double? value)
    {
        if (value is not { } v)
        {
            yield return new("value", "Problem.ValueRequired");
        }
        else if (v < parameter.Minimum || v > parameter.Maximum || (parameter.WholeNumber && v != Math.Floor(v)))
        {
            yield return new("value", parameter.WholeNumber ? "Problem.ValueRangeWhole" : "Problem.ValueRange",
                string.Create(CultureInfo.InvariantCulture, $"{parameter.Minimum} – {parameter.Maximum}"));
        }
    }
}
