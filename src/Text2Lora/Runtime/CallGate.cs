namespace Text2Lora.Runtime;

/// <summary>
/// Lifetime guard of an object that owns native memory (a model, an encoder, a generator): every public call holds a
/// <see cref="Lease"/> while it runs; <see cref="Close"/> refuses new calls (they throw
/// <see cref="ObjectDisposedException"/>) and waits until the calls in flight have returned, so native memory is freed
/// only when nothing uses it. Calling <c>Dispose</c> from inside a call on the same object would wait for itself and is
/// refused with <see cref="InvalidOperationException"/>.
/// </summary>
internal sealed class CallGate(string ownerName)
{
    // Gates the current thread holds leases on (re-entrant calls, e.g. Generate calling Step, nest).
    [ThreadStatic]
    private static Dictionary<CallGate, int>? _held;

    private readonly object _lock = new();
    private int _active;
    private bool _closed;

    /// <summary>Whether <see cref="Close"/> has been called.</summary>
    public bool IsClosed
    {
        get
        {
            lock (_lock)
            {
                return _closed;
            }
        }
    }

    /// <summary>Starts a call; dispose the lease when the call returns.</summary>
    /// <exception cref="ObjectDisposedException">The owner is disposed or being disposed.</exception>
    public Lease Enter()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_closed, ownerName);
            _active++;
        }

        _held ??= [];
        _held[this] = _held.GetValueOrDefault(this) + 1;
        return new Lease(this);
    }

    /// <summary>
    /// Refuses new calls and waits for the calls in flight. True for the one caller that must now free the owner's
    /// resources; false when the owner was already closed.
    /// </summary>
    /// <exception cref="InvalidOperationException">Called from inside a call on the same owner.</exception>
    public bool Close()
    {
        if (_held?.GetValueOrDefault(this) > 0)
        {
            throw new InvalidOperationException($"{ownerName} cannot be disposed from inside one of its own calls.");
        }

        lock (_lock)
        {
            if (_closed)
            {
                return false;
            }

            _closed = true;
            while (_active > 0)
            {
                Monitor.Wait(_lock);
            }

            return true;
        }
    }

    private void Exit()
    {
        var held = _held!;
        if (--held[this] == 0)
        {
            held.Remove(this);
        }

        lock (_lock)
        {
            if (--_active == 0)
            {
                Monitor.PulseAll(_lock);
            }
        }
    }

    /// <summary>One call in flight.</summary>
    internal readonly struct Lease(CallGate gate) : IDisposable
    {
        public void Dispose() => gate.Exit();
    }
}
