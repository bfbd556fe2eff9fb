namespace Telemetry.Simulator.Faults;

/// <summary>The faults active on one device: one per kind, or per kind and circuit for per-circuit faults.</summary>
public sealed class FaultSet
{
    private readonly List<Fault> faults = [];

    public IReadOnlyList<Fault> Active => faults;

    public Fault? Find(FaultKind kind, int? circuit = null) =>
        faults.FirstOrDefault(f => f.Kind == kind && (circuit is null || f.Circuit == circuit));

    public bool Has(FaultKind kind, int? circuit = null) => Find(kind, circuit) is not null;

    /// <summary>Adds the fault, replacing one of the same kind (and circuit); returns the replaced one.</summary>
    public Fault? Add(Fault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        var index = faults.FindIndex(f => f.Kind == fault.Kind && f.Circuit == fault.Circuit);
        Fault? replaced = null;
        if (index >= 0)
        {
            replaced = faults[index];
            faults[index] = fault;
        }
        else
        {
            faults.Add(fault);
        }

        return replaced;
    }

    /// <summary>Removes the faults of <paramref name="kind"/> (all kinds when null), of <paramref name="circuit"/> when given.</summary>
    public IReadOnlyList<Fault> Remove(FaultKind? kind, int? circuit = null)
    {
        var removed = faults.Where(f => (kind is null || f.Kind == kind) && (circuit is null || f.Circuit == circuit)).ToList();
        faults.RemoveAll(removed.Contains);
        return removed;
    }
}
