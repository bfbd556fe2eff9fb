namespace Telemetry.Simulator.Physics;

/// <summary>
/// The lamps of a circuit or mast. Each lamp's failure time is drawn when it is fitted (exponential with the
/// configured MTBF), so failures do not depend on how often the plant is stepped. Lamps can also be forced
/// dark by a fault; relamping replaces every dark lamp.
/// </summary>
public sealed class LampBank
{
    private readonly Random random;
    private readonly double mtbfHours;
    private readonly List<Lamp> lamps = [];

    public LampBank(int installed, Random random, double mtbfHours, DateTimeOffset now)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(installed);
        ArgumentNullException.ThrowIfNull(random);
        this.random = random;
        this.mtbfHours = mtbfHours;
        Resize(installed, now);
    }

    public int Installed => lamps.Count;

    /// <summary>Lamps that would light if energised.</summary>
    public int Working => lamps.Count(l => l.IsWorking);

    /// <summary>Lamps dark by failure or fault.</summary>
    public int Dark => Installed - Working;

    /// <summary>Lamps a fault keeps dark.</summary>
    public int ForcedDark => lamps.Count(l => l.ForcedDark);

    /// <summary>Whether lamp <paramref name="index"/> (0-based) would light if energised.</summary>
    public bool IsWorking(int index) => index < lamps.Count && lamps[index].IsWorking;

    /// <summary>Lamps that fail by <paramref name="now"/> go dark.</summary>
    public void Advance(DateTimeOffset now)
    {
        foreach (var lamp in lamps)
        {
            if (!lamp.Failed && now >= lamp.FailsAt)
            {
                lamp.Failed = true;
            }
        }
    }

    /// <summary>Fits or removes lamps (a mast's lamp count set at commissioning).</summary>
    public void Resize(int installed, DateTimeOffset now)
    {
        while (lamps.Count < installed)
        {
            lamps.Add(new Lamp { FailsAt = Lifetime(now) });
        }

        if (lamps.Count > installed)
        {
            lamps.RemoveRange(installed, lamps.Count - installed);
        }
    }

    /// <summary>Keeps exactly <paramref name="count"/> lamps dark by fault (on top of failed ones), chosen at random.</summary>
    public void ForceDark(int count)
    {
        count = Math.Clamp(count, 0, lamps.Count);
        while (ForcedDark > count)
        {
            lamps.Last(l => l.ForcedDark).ForcedDark = false;
        }

        var candidates = lamps.Where(l => !l.ForcedDark).ToList();
        while (ForcedDark < count && candidates.Count > 0)
        {
            // Prefer lamps still lit, so "5 dark" means five more dark lamps when some had failed already.
            var lit = candidates.Where(l => l.IsWorking).ToList();
            var pool = lit.Count > 0 ? lit : candidates;
            var chosen = pool[random.Next(pool.Count)];
            chosen.ForcedDark = true;
            candidates.Remove(chosen);
        }
    }

    /// <summary>A crew relamps: every dark lamp is replaced by a new one.</summary>
    public void Relamp(DateTimeOffset now)
    {
        foreach (var lamp in lamps.Where(l => !l.IsWorking))
        {
            lamp.Failed = false;
            lamp.ForcedDark = false;
            lamp.FailsAt = Lifetime(now);
        }
    }

    private DateTimeOffset Lifetime(DateTimeOffset now)
    {
        var hours = -Math.Log(1 - random.NextDouble()) * mtbfHours;
        return hours >= TimeSpan.MaxValue.TotalHours / 2 ? DateTimeOffset.MaxValue : now + TimeSpan.FromHours(Math.Min(hours, 1e6));
    }

    private sealed class Lamp
    {
        public DateTimeOffset FailsAt { get; set; }

        public bool Failed { get; set; }

        public bool ForcedDark { get; set; }

        public bool IsWorking => !Failed && !ForcedDark;
    }
}
