using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Telemetry.Modbus.Native;

namespace Telemetry.Modbus;

/// <summary>
/// A Modbus server (slave side) serving one <see cref="ModbusRegisterMap"/> per unit id, answering through
/// libmodbus (<c>modbus_reply</c>, <c>modbus_reply_exception</c>). See <see cref="ModbusTcpServer"/> and
/// <see cref="ModbusRtuServer"/>.
/// </summary>
/// <remarks>
/// <para>
/// For each request to a known unit: <see cref="RequestHook"/> (if set) decides to answer normally, with an
/// exception code, or not at all, possibly after a delay; a normal answer is computed by libmodbus from the
/// unit's map with the map locked; then <see cref="WriteApplied"/> reports writes that changed the map.
/// Hooks and events run on the server's threads (one per TCP client, one per serial port): keep them short
/// and thread-safe, and do not block in them except through <see cref="ModbusResponse.Delay"/>.
/// </para>
/// <para>The server does not own the maps: dispose them after the server.</para>
/// </remarks>
public abstract class ModbusServer : IDisposable, IAsyncDisposable
{
    /// <summary>How often the serving threads look at the stop request while idle.</summary>
    private protected const int PollMilliseconds = 100;

    private readonly ConcurrentDictionary<int, ModbusRegisterMap> _units = new();
    private readonly Lock _stateLock = new();
    private CancellationTokenSource? _stop;
    private Task _completion = Task.CompletedTask;
    private bool _started;
    private bool _disposed;

    private protected ModbusServer(ModbusTransport transport)
    {
        Transport = transport;
    }

    /// <summary>Raised after a write request has been applied to a unit's map, with the values written.</summary>
    public event EventHandler<ModbusWriteEventArgs>? WriteApplied;

    /// <summary>Raised when something fails inside the server (a hook or handler that threw, a port or socket error); serving goes on.</summary>
    public event EventHandler<ModbusServerErrorEventArgs>? Error;

    /// <summary>TCP or RTU.</summary>
    public ModbusTransport Transport { get; }

    /// <summary>
    /// Decides, per request to a known unit, how to answer; null answers everything normally. Runs before the
    /// request touches the map: <see cref="ModbusRequest.Write"/> shows a pending write, which
    /// <see cref="ModbusResponse.Reject"/> refuses. If the hook throws, the request is answered with
    /// <see cref="ModbusExceptionCode.ServerDeviceFailure"/> and <see cref="Error"/> is raised.
    /// </summary>
    public Func<ModbusRequest, ModbusResponse>? RequestHook { get; set; }

    /// <summary>The unit ids served, ascending.</summary>
    public IReadOnlyList<int> UnitIds => [.. _units.Keys.Order()];

    /// <summary>Whether <see cref="Start"/> has been called and the server has not stopped yet.</summary>
    public bool IsRunning => _started && !_completion.IsCompleted;

    /// <summary>Completes when the server has stopped (after cancellation of the start token, <see cref="StopAsync"/> or <see cref="Dispose()"/>).</summary>
    public Task Completion => _completion;

    /// <summary>Serves <paramref name="map"/> as unit <paramref name="unitId"/>; may be called while running.</summary>
    /// <param name="unitId">TCP: 0 to 255; RTU: 1 to 247.</param>
    /// <param name="map">The unit's tables (not owned by the server).</param>
    /// <exception cref="ArgumentOutOfRangeException">The unit id is out of range.</exception>
    /// <exception cref="ArgumentException">The unit id is already served.</exception>
    public void AddUnit(int unitId, ModbusRegisterMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        ValidateUnitId(unitId);
        if (!_units.TryAdd(unitId, map))
        {
            throw new ArgumentException($"Unit {unitId} is already served.", nameof(unitId));
        }
    }

    /// <summary>Stops serving <paramref name="unitId"/>: its requests then go unanswered (see the transport's rules).</summary>
    /// <param name="unitId">The unit.</param>
    /// <returns>Whether it was served.</returns>
    public bool RemoveUnit(int unitId) => _units.TryRemove(unitId, out _);

    /// <summary>The map of <paramref name="unitId"/>, if served.</summary>
    /// <param name="unitId">The unit.</param>
    /// <param name="map">Its map.</param>
    /// <returns>Whether it is served.</returns>
    public bool TryGetUnit(int unitId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ModbusRegisterMap? map) => _units.TryGetValue(unitId, out map);

    /// <summary>Opens the port or listening socket and starts serving on background threads.</summary>
    /// <param name="cancellationToken">Stops the server when cancelled.</param>
    /// <exception cref="InvalidOperationException">Already started.</exception>
    /// <exception cref="ModbusLinkException">The socket or serial port could not be opened.</exception>
    public void Start(CancellationToken cancellationToken = default)
    {
        lock (_stateLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_started)
            {
                throw new InvalidOperationException("The server has already been started.");
            }

            var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            try
            {
                _completion = StartCore(stop.Token);
            }
            catch
            {
                stop.Dispose();
                throw;
            }

            _stop = stop;
            _started = true;
        }
    }

    /// <summary>Stops serving, closes connections and the port, and waits for the serving threads.</summary>
    /// <returns>Completes when stopped.</returns>
    public async Task StopAsync()
    {
        CancellationTokenSource? stop;
        lock (_stateLock)
        {
            // After disposal the source is disposed too, and the threads have already been stopped.
            stop = _disposed ? null : _stop;
        }

        if (stop is not null)
        {
            await stop.CancelAsync().ConfigureAwait(false);
        }

        await _completion.ConfigureAwait(false);
    }

    /// <summary>Stops the server (waiting up to 10 s for its threads). Idempotent.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Stops the server and waits for its threads. Idempotent.</summary>
    /// <returns>Completes when stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Stops the server.</summary>
    /// <param name="disposing">True from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        CancellationTokenSource? stop;
        lock (_stateLock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            stop = _stop;
        }

        if (stop is not null)
        {
            stop.Cancel();
            _ = _completion.Wait(TimeSpan.FromSeconds(10));
            stop.Dispose();
        }
    }

    /// <summary>Opens the transport and returns the task of the serving threads, which end when <paramref name="stopping"/> is cancelled.</summary>
    private protected abstract Task StartCore(CancellationToken stopping);

    private protected abstract void ValidateUnitId(int unitId);

    private protected void ReportError(Exception exception)
    {
        try
        {
            Error?.Invoke(this, new ModbusServerErrorEventArgs(exception));
        }
#pragma warning disable CA1031 // A subscriber's failure must not stop the server.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private protected bool TryGetMap(int unitId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ModbusRegisterMap? map) => _units.TryGetValue(unitId, out map);

    private protected ICollection<KeyValuePair<int, ModbusRegisterMap>> Snapshot() => _units.ToArray();

    /// <summary>Asks the hook; any failure becomes a ServerDeviceFailure answer.</summary>
    private protected ModbusResponse Decide(ModbusRequest request)
    {
        var hook = RequestHook;
        if (hook is null)
        {
            return ModbusResponse.Normal;
        }

        try
        {
            return hook(request);
        }
#pragma warning disable CA1031 // The hook is user code; its failure is reported and answered, not fatal.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            ReportError(new InvalidOperationException($"The request hook failed for {request}.", exception));
            return ModbusResponse.Reject(ModbusExceptionCode.ServerDeviceFailure);
        }
    }

    private protected void RaiseWriteApplied(ModbusWrite write)
    {
        try
        {
            WriteApplied?.Invoke(this, new ModbusWriteEventArgs(write));
        }
#pragma warning disable CA1031 // Subscriber code; reported, not fatal.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            ReportError(new InvalidOperationException($"A WriteApplied handler failed for {write}.", exception));
        }
    }

    /// <summary>
    /// Answers one request addressed to a served unit. Returns false when the answer could not be sent
    /// (the TCP client is gone).
    /// </summary>
    private protected unsafe bool Answer(ModbusContextHandle context, byte[] frame, int length, int headerLength, int checksumLength, ModbusRegisterMap map, CancellationToken stopping)
    {
        ModbusRequest request;
        try
        {
            request = ModbusRequestParser.Parse(frame, length, headerLength, checksumLength, Transport, address => CurrentHoldingRegister(map, address));
        }
        catch (ObjectDisposedException)
        {
            return ReplyException(context, frame, ModbusExceptionCode.ServerDeviceFailure);
        }

        var decision = Decide(request);
        if (decision.Delay > TimeSpan.Zero && stopping.WaitHandle.WaitOne(decision.Delay))
        {
            return true; // stopping: drop the answer
        }

        switch (decision.Kind)
        {
            case ModbusResponseKind.Silence:
                return true;
            case ModbusResponseKind.Exception:
                return ReplyException(context, frame, decision.ExceptionCode);
        }

        var applies = ModbusRequestParser.WillApply(request, map);
        ModbusWrite? applied = null;
        int rc;
        int errno;
        try
        {
            lock (map.SyncRoot)
            {
                fixed (byte* pointer = frame)
                {
                    rc = LibModbus.Reply(context, pointer, length, map.Handle);
                    errno = Marshal.GetLastPInvokeError();
                }

                if (applies && request.Write is { } write)
                {
                    applied = write.Function == ModbusFunctionCode.MaskWriteRegister
                        ? new ModbusWrite(write.UnitId, write.Function, write.Table, write.Address, [], [CurrentHoldingRegisterLocked(map, write.Address)])
                        : write;
                }
            }
        }
        catch (ObjectDisposedException)
        {
            // The map was disposed while still served.
            return ReplyException(context, frame, ModbusExceptionCode.ServerDeviceFailure);
        }

        if (applied is not null)
        {
            RaiseWriteApplied(applied);
        }

        return rc != -1 || !IsLinkError(errno);
    }

    private protected unsafe bool ReplyException(ModbusContextHandle context, byte[] frame, ModbusExceptionCode code)
    {
        fixed (byte* pointer = frame)
        {
            if (LibModbus.ReplyException(context, pointer, (uint)code) == -1)
            {
                return !IsLinkError(Marshal.GetLastPInvokeError());
            }
        }

        return true;
    }

    private static bool IsLinkError(int errno) => errno is not (ModbusErrno.EINVAL or > ModbusErrno.EnoBase);

    private static ushort? CurrentHoldingRegister(ModbusRegisterMap map, int address)
    {
        if (!map.HoldingRegisters.Contains(address, 1))
        {
            return null;
        }

        lock (map.SyncRoot)
        {
            return CurrentHoldingRegisterLocked(map, address);
        }
    }

    private static unsafe ushort CurrentHoldingRegisterLocked(ModbusRegisterMap map, int address)
    {
        var added = false;
        try
        {
            map.Handle.DangerousAddRef(ref added);
            return map.Handle.Pointer->Registers[address - map.HoldingRegisters.Start];
        }
        finally
        {
            if (added)
            {
                map.Handle.DangerousRelease();
            }
        }
    }

    /// <summary>Runs a serving loop on its own thread; its exceptions are reported, not thrown.</summary>
    private protected Task RunThread(string name, Action body) =>
        Task.Factory.StartNew(
            () =>
            {
                Thread.CurrentThread.Name = name;
                try
                {
                    body();
                }
#pragma warning disable CA1031 // A serving thread reports its failure through Error and ends.
                catch (Exception exception)
#pragma warning restore CA1031
                {
                    ReportError(exception);
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning | TaskCreationOptions.DenyChildAttach,
            TaskScheduler.Default);

    /// <summary>Server contexts: a short response timeout, which libmodbus only uses to pause before flushing after a malformed request.</summary>
    private protected static void ConfigureServerContext(ModbusContextHandle context)
    {
        _ = LibModbus.SetResponseTimeout(context, 0, 20_000);
    }
}
