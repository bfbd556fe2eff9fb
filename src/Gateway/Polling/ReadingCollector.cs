using Telemetry.Contracts;

namespace Telemetry.Gateway.Polling;

/// <summary>Readings made since the last batch; the pollers add, the batch assembler takes them all once per cycle.</summary>
public sealed class ReadingCollector
{
    private readonly Lock _gate = new();
    private List<Reading> _readings = [];

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _readings.Count;
            }
        }
    }

    public void Add(IReadOnlyList<Reading> readings)
    {
        lock (_gate)
        {
            _readings.AddRange(readings);
        }
    }

    public IReadOnlyList<Reading> TakeAll()
    {
        lock (_gate)
        {
            if (_readings.Count == 0)
            {
                return [];
            }

            var taken = _readings;
            _readings = new List<Reading>(Math.Max(16, taken.Count));
            return taken;
        }
    }
}
