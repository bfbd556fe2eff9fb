using System.Reflection;
using System.Runtime.ExceptionServices;
using Telemetry.Maintenance.Tickets;

namespace Telemetry.Fuzzing.Targets;

/// <summary>
/// The ticket store with every call passed through, the queries of <see cref="ITicketRepository.ListAsync"/>
/// shown to an observer first. A proxy rather than a decorator, so that it follows the interface as it grows
/// (and, as a proxy, it cannot be sealed).
/// </summary>
public class RecordingTicketRepository : DispatchProxy
{
    private ITicketRepository? _inner;
    private Action<TicketQuery>? _observer;

    public static ITicketRepository Around(ITicketRepository inner, Action<TicketQuery> observer)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(observer);
        var proxy = Create<ITicketRepository, RecordingTicketRepository>();
        var recording = (RecordingTicketRepository)(object)proxy;
        recording._inner = inner;
        recording._observer = observer;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (targetMethod.Name == nameof(ITicketRepository.ListAsync) && args?[0] is TicketQuery query)
        {
            _observer?.Invoke(query);
        }

        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is { } inner)
        {
            ExceptionDispatchInfo.Throw(inner);
            throw;
        }
    }
}
