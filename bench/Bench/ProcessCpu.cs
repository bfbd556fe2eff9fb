using System.Globalization;

namespace Telemetry.Bench;

/// <summary>CPU time (user and system) a process has used, from /proc/{pid}/stat, to tell where a run's CPU went.</summary>
internal static class ProcessCpu
{
    // The kernel counts in clock ticks, USER_HZ, which is 100 on Linux.
    private const double TicksPerSecond = 100;

    public static TimeSpan Used(int? pid)
    {
        if (pid is not { } id || !File.Exists($"/proc/{id}/stat"))
        {
            return TimeSpan.Zero;
        }

        // The command name (field 2) may hold spaces and parentheses; the fields after its last ')' are fixed.
        var stat = File.ReadAllText($"/proc/{id}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    /// <summary>Microseconds of CPU each item cost between two readings of <see cref="Used"/>.</summary>
    public static double MicrosecondsPer(TimeSpan before, TimeSpan after, long items) => (after - before).TotalMicroseconds / items;
}
