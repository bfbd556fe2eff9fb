namespace Telemetry.Maintenance.Thresholds;

/// <summary>
/// One tunable parameter of a rule, with the domain's default, its unit and the range an engineer may set. Declared by
/// the rule that uses it; a <see cref="ThresholdCatalogue"/> gathers those of the rules in force.
/// </summary>
/// <param name="Name">Dotted name, rule first: <c>insulation.trip_mohm</c>. The suffix is the unit, as in value names.</param>
/// <param name="Default">The value the product ships with.</param>
/// <param name="Minimum">The lowest value an engineer may set.</param>
/// <param name="Maximum">The highest value an engineer may set.</param>
/// <param name="WholeNumber">Counts (readings, intervals) take whole numbers only.</param>
/// <param name="Unit">The unit, as people write it: <c>MΩ</c>, <c>mA</c>, <c>min</c>, <c>readings</c>; empty for a ratio.</param>
/// <param name="Description">What the parameter means, for the engineers' screen.</param>
public sealed record ThresholdParameter(
    string Name,
    double Default,
    double Minimum,
    double Maximum,
    bool WholeNumber,
    string Unit,
    string Description)
{
    // The default of every parameter declared in the process, by index: resolved values start from these, so a
    // parameter of no catalogue still reads as its own default.
    private static readonly List<double> Declared = [];

    /// <summary>A number unique to this declaration in the process, so that resolved values are an array look-up.</summary>
    public int Index { get; } = Declare(Default);

    /// <summary>The defaults of every parameter declared so far, by <see cref="Index"/>.</summary>
    internal static double[] DeclaredDefaults()
    {
        lock (Declared)
        {
            return [.. Declared];
        }
    }

    private static int Declare(double value)
    {
        lock (Declared)
        {
            Declared.Add(value);
            return Declared.Count - 1;
        }
    }
}

/// <summary>Which way a limit trips: a value below it (insulation) or above it (leakage).</summary>
public enum TripDirection
{
    Below,
    Above,
}

/// <summary>
/// A trip level and its clear level. A condition opens past <see cref="Trip"/> and clears only back past
/// <see cref="Clear"/>, so a value oscillating between the two opens one ticket, not many.
/// The clear level must be on the healthy side of the trip level.
/// </summary>
public sealed record HysteresisBand(ThresholdParameter Trip, ThresholdParameter Clear, TripDirection Direction)
{
    /// <summary>True when the clear level lies strictly on the healthy side of the trip level.</summary>
    public bool IsOrdered(double trip, double clear) => Direction == TripDirection.Below ? clear > trip : clear < trip;
}

/// <summary>
/// The rule parameters in force: those the registered rules declare, seeded with the defaults of the domain spec
/// (section 2). Settings, validation and the engineers' screen all go through one catalogue.
/// </summary>
public sealed class ThresholdCatalogue
{
    private readonly ThresholdParameter[] parameters;
    private readonly Dictionary<string, ThresholdParameter> byName;
    private readonly double[] defaults;

    /// <exception cref="ArgumentException">
    /// Two parameters share a name, a name is not dotted snake case, a default lies outside its range, or a band names
    /// a parameter not in the catalogue or has its default clear level on the wrong side.
    /// </exception>
    public ThresholdCatalogue(IEnumerable<ThresholdParameter> parameters, IEnumerable<HysteresisBand> bands)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(bands);
        this.parameters = [.. parameters];
        byName = new Dictionary<string, ThresholdParameter>(StringComparer.Ordinal);
        foreach (var parameter in this.parameters)
        {
            Check(parameter);
            if (!byName.TryAdd(parameter.Name, parameter))
            {
                throw new ArgumentException($"threshold '{parameter.Name}' is declared twice", nameof(parameters));
            }
        }

        Bands = [.. bands];
        foreach (var band in Bands)
        {
            if (!Contains(band.Trip) || !Contains(band.Clear))
            {
                throw new ArgumentException($"band {band.Trip.Name}/{band.Clear.Name} names a parameter not in the catalogue", nameof(bands));
            }

            if (!band.IsOrdered(band.Trip.Default, band.Clear.Default))
            {
                throw new ArgumentException($"the default clear level of {band.Trip.Name} is not on the healthy side of its trip level", nameof(bands));
            }
        }

        // Values are kept by declaration number, every parameter declared so far at its own default; one declared
        // later is beyond the array, and reads as its default too.
        defaults = ThresholdParameter.DeclaredDefaults();

        Defaults = new ThresholdSnapshot(this, 0, []);
    }

    /// <summary>Every parameter, in the order the rules declare them.</summary>
    public IReadOnlyList<ThresholdParameter> All => parameters;

    /// <summary>The trip/clear pairs; a change that would put a clear level on the wrong side of its trip level is refused.</summary>
    public IReadOnlyList<HysteresisBand> Bands { get; }

    /// <summary>The catalogue defaults and nothing else.</summary>
    public ThresholdSnapshot Defaults { get; }

    /// <summary>The parameter of that name, or null.</summary>
    public ThresholdParameter? Find(string? name) => name is not null && byName.TryGetValue(name, out var parameter) ? parameter : null;

    /// <summary>True when <paramref name="parameter"/> is this very declaration of one of the catalogue's parameters.</summary>
    public bool Contains(ThresholdParameter parameter) =>
        parameter is not null && byName.TryGetValue(parameter.Name, out var known) && ReferenceEquals(known, parameter);

    /// <summary>A fresh array of the defaults by <see cref="ThresholdParameter.Index"/>, to resolve settings into.</summary>
    internal double[] NewValues() => (double[])defaults.Clone();

    private static void Check(ThresholdParameter parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        var name = parameter.Name;
        if (string.IsNullOrEmpty(name) || !name.Contains('.', StringComparison.Ordinal) || name[0] == '.' || name[^1] == '.'
            || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '.'))
        {
            throw new ArgumentException($"'{name}' is not a dotted snake-case threshold name (rule.parameter_unit)", nameof(parameter));
        }

        if (!(parameter.Minimum <= parameter.Default && parameter.Default <= parameter.Maximum) || !double.IsFinite(parameter.Minimum) || !double.IsFinite(parameter.Maximum))
        {
            throw new ArgumentException($"the default of '{name}' lies outside its range", nameof(parameter));
        }

        if (parameter.WholeNumber && parameter.Default != Math.Floor(parameter.Default))
        {
            throw new ArgumentException($"'{name}' takes whole numbers, and its default is not one", nameof(parameter));
        }
    }
}
