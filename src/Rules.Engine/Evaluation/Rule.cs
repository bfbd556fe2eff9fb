using System.Runtime.CompilerServices;
using System.Text.Json;
using Telemetry.Contracts;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Thresholds;

namespace Telemetry.Rules.Evaluation;

/// <summary>Where a rule keeps its state: on each gateway, device or lighting circuit it judges.</summary>
[Flags]
internal enum RuleScope
{
    Gateway = 1,
    Device = 2,

    /// <summary>A lighting circuit of a device, or a single-circuit device (a high mast) taken as its one circuit.</summary>
    Circuit = 4,
}

/// <summary>What the fault table says of one fault type a rule raises.</summary>
/// <param name="Fault">The fault type.</param>
/// <param name="Grade">Its grade as people read it, e.g. <c>2; 1 at night</c>.</param>
/// <param name="Why">Why this grade: the domain spec's, or the product's reasoning against the grade meanings.</param>
internal sealed record FaultSheet(FaultType Fault, string Grade, string Why);

/// <summary>
/// One rule: the families it judges, the fault types it raises, the thresholds it reads, the state it keeps per
/// asset, and how it judges. The engine knows rules only through this type and a <see cref="RuleSet"/>: it calls each
/// hook a rule overrides, for the families the rule names, and keeps, exports and restores the rule's state without
/// knowing its shape. Hooks are called under the engine's lock, in registration order.
/// </summary>
internal abstract class Rule
{
    private static readonly DeviceFamily[] EveryFamily = Enum.GetValues<DeviceFamily>();

    /// <summary>The rule's name in the fault table and in saved state: snake case, unique in a rule set.</summary>
    public abstract string Name { get; }

    /// <summary>The families whose readings it judges; every family unless overridden.</summary>
    public virtual IReadOnlyList<DeviceFamily> Families => EveryFamily;

    /// <summary>The fault types it raises, each with its grade and why.</summary>
    public abstract IReadOnlyList<FaultSheet> Faults { get; }

    /// <summary>The thresholds it reads; each must be in the catalogue the rule set builds.</summary>
    public virtual IReadOnlyList<ThresholdParameter> Thresholds => [];

    /// <summary>Its trip/clear pairs, among <see cref="Thresholds"/>.</summary>
    public virtual IReadOnlyList<HysteresisBand> Bands => [];

    /// <summary>The signals it reads, for the fault table: point names, events, states.</summary>
    public abstract string Signals { get; }

    /// <summary>How long a condition must hold before it opens (and after, before it clears), for the fault table.</summary>
    public abstract string Debounce { get; }

    /// <summary>What clears it, for the fault table.</summary>
    public abstract string Clears { get; }

    /// <summary>Where its state lives.</summary>
    public abstract RuleScope Scope { get; }

    /// <summary>Gateway event kinds it judges in <see cref="OnEvent"/>.</summary>
    public virtual IReadOnlyList<string> EventKinds => [];

    /// <summary>
    /// True for rules that judge what has not been heard (silence, offline): they are not called by a tick while the
    /// consumer is behind the stream, since what is missing may be in the backlog.
    /// </summary>
    public virtual bool JudgesAbsence => false;

    /// <summary>Its position in its rule set: where its state is kept on each asset.</summary>
    internal int Slot { get; set; } = -1;

    /// <summary>A fault table entry: the grade is the fault type's default unless <paramref name="grade"/> says more.</summary>
    protected static FaultSheet Sheet(FaultType fault, string why, string? grade = null) =>
        new(fault, grade ?? ((int)fault.DefaultGrade()).ToString(System.Globalization.CultureInfo.InvariantCulture), why);

    /// <summary>Called once when the rule set is built, to find the rules whose state it reads.</summary>
    public virtual void Bind(RuleSet rules)
    {
    }

    /// <summary>A good device-level reading of a family it judges.</summary>
    public virtual void OnReading(DeviceState device, IReadOnlyDictionary<string, ReadingValue> values, DateTimeOffset at, ICollection<FaultTransition> output)
    {
    }

    /// <summary>A good reading of a lighting circuit (or of a single-circuit device) of a family it judges.</summary>
    public virtual void OnCircuit(CircuitState circuit, in LightingSample sample, DateTimeOffset at, ICollection<FaultTransition> output)
    {
    }

    /// <summary>Any good reading of a device a site file lists, device-level or of a circuit: the device was heard.</summary>
    public virtual void OnHeard(DeviceState device, DateTimeOffset at, ICollection<FaultTransition> output)
    {
    }

    /// <summary>Any reading, whatever its quality, of a device on a gateway a site file lists.</summary>
    public virtual void OnDelivered(DeviceState device, Reading reading, ICollection<FaultTransition> output)
    {
    }

    /// <summary>
    /// A batch from a gateway delivered readings; <paramref name="unknownDeviceIds"/> is the number of distinct device ids
    /// it named when no site file lists the gateway, else 0.
    /// </summary>
    public virtual void OnBatch(GatewaySession session, int unknownDeviceIds, DateTimeOffset at, ICollection<FaultTransition> output)
    {
    }

    /// <summary>A gateway's retained state changed or was repeated; <see cref="GatewaySession.Status"/> is already the new one.</summary>
    public virtual void OnGatewayState(GatewaySession session, GatewayStatus status, DateTimeOffset now, bool judgeAbsence, ICollection<FaultTransition> output)
    {
    }

    /// <summary>A gateway event of one of <see cref="EventKinds"/>; <paramref name="device"/> when it names a device.</summary>
    public virtual void OnEvent(GatewaySession session, DeviceState? device, GatewayEvent gatewayEvent, ICollection<FaultTransition> output)
    {
    }

    /// <summary>Time passing, for each gateway.</summary>
    public virtual void OnGatewayTick(GatewaySession session, DateTimeOffset now, ICollection<FaultTransition> output)
    {
    }

    /// <summary>Time passing, for each device of a family it judges.</summary>
    public virtual void OnDeviceTick(DeviceState device, DateTimeOffset now, ICollection<FaultTransition> output)
    {
    }

    /// <summary>A fresh state for one asset.</summary>
    internal abstract object NewState();

    /// <summary>
    /// Brings a state in line with the open tickets at start: each condition it tracks is active exactly when its
    /// ticket is open. <paramref name="owner"/> is the asset the state is kept on; <paramref name="isOpen"/> answers for
    /// any asset and fault.
    /// </summary>
    internal abstract void Reconcile(object state, AssetOwner owner, Func<AssetRef, FaultType, bool> isOpen, DateTimeOffset now);

    /// <summary>After a state was imported: what it says that the engine shares between rules is set again.</summary>
    internal abstract void Imported(object state, AssetOwner owner);

    /// <summary>The state as JSON for a restart, or null when it holds nothing worth keeping.</summary>
    internal abstract JsonElement? Export(object state);

    /// <summary>A state saved by <see cref="Export"/>; null when it cannot be read.</summary>
    internal abstract object? Import(JsonElement saved);
}

/// <summary>The asset a rule's state is kept on, with the engine's view of it.</summary>
/// <param name="Session">The gateway.</param>
/// <param name="Device">The device, unless the state is the gateway's.</param>
/// <param name="Circuit">The circuit, when the state is a circuit's.</param>
internal readonly record struct AssetOwner(GatewaySession Session, DeviceState? Device, CircuitState? Circuit)
{
    public AssetRef Asset => Circuit?.Asset ?? Device?.Asset ?? Session.Asset;
}

/// <summary>
/// A rule whose per-asset state is <typeparamref name="TState"/>: a plain class that System.Text.Json reads and writes
/// (public properties, or members marked to be included), so that it survives a restart as it was.
/// </summary>
internal abstract class Rule<TState> : Rule
    where TState : class, new()
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
    private static readonly string Fresh = JsonSerializer.Serialize(new TState(), Json);

    // A slot holds only its rule's state (the engine puts nothing else there), so it is read without a type check: in
    // shared generic code a checked cast is a look-up on every reading.

    /// <summary>The rule's state on a gateway.</summary>
    protected TState State(GatewaySession session) => Unsafe.As<TState>(session.RuleStates[Slot] ??= NewState());

    /// <summary>The rule's state on a device.</summary>
    protected TState State(DeviceState device) => Unsafe.As<TState>(device.RuleStates[Slot] ??= NewState());

    /// <summary>The rule's state on a circuit.</summary>
    protected TState State(CircuitState circuit) => Unsafe.As<TState>(circuit.RuleStates[Slot] ??= NewState());

    /// <summary>The rule's state on a gateway if it has any yet.</summary>
    internal TState? Peek(GatewaySession session) => Unsafe.As<TState?>(session.RuleStates[Slot]);

    /// <summary>The rule's state on a device if it has any yet, for another rule that reads it.</summary>
    internal TState? Peek(DeviceState device) => Unsafe.As<TState?>(device.RuleStates[Slot]);

    /// <summary>The rule's state on a circuit if it has any yet, for another rule that reads it.</summary>
    internal TState? Peek(CircuitState circuit) => Unsafe.As<TState?>(circuit.RuleStates[Slot]);

    /// <summary>Sets the state's conditions to what the open tickets say.</summary>
    protected abstract void Reconcile(TState state, AssetOwner owner, Func<AssetRef, FaultType, bool> isOpen, DateTimeOffset now);

    /// <summary>After a saved state was imported, before the tickets are known: sets again what it implies beyond itself.</summary>
    protected virtual void AfterImport(TState state, AssetOwner owner)
    {
    }

    internal sealed override object NewState() => new TState();

    internal sealed override void Imported(object state, AssetOwner owner) => AfterImport((TState)state, owner);

    internal sealed override void Reconcile(object state, AssetOwner owner, Func<AssetRef, FaultType, bool> isOpen, DateTimeOffset now) =>
        Reconcile((TState)state, owner, isOpen, now);

    internal sealed override JsonElement? Export(object state)
    {
        var element = JsonSerializer.SerializeToElement((TState)state, Json);
        return element.GetRawText() == Fresh ? null : element;
    }

    internal sealed override object? Import(JsonElement saved)
    {
        try
        {
            return saved.Deserialize<TState>(Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
