namespace Telemetry.Testing;

/// <summary>
/// Two linked pseudo-terminals made by socat (<c>socat -d -d pty,raw,echo=0,link=A pty,raw,echo=0,link=B</c>):
/// what one end writes, the other reads, like a null-modem cable or an RS-485 bus with two nodes. socat is
/// killed and the links removed on dispose. Bytes cross at once, whatever baud rate either end sets.
/// </summary>
public sealed class PseudoTerminalPair : IAsyncDisposable
{
    private readonly RunningCommand _socat;
    private readonly string? _ownedDirectory;

    private PseudoTerminalPair(RunningCommand socat, string a, string b, string? ownedDirectory)
    {
        _socat = socat;
        A = a;
        B = b;
        _ownedDirectory = ownedDirectory;
    }

    /// <summary>One end (for a master, say: the gateway's end).</summary>
    public string A { get; }

    /// <summary>The other end (for a server: the simulator's end).</summary>
    public string B { get; }

    /// <summary>Starts socat and waits until both links exist.</summary>
    /// <param name="a">Path of end A; a fresh scratch folder's <c>a</c> when null.</param>
    /// <param name="b">Path of end B; beside <paramref name="a"/> (or in the scratch folder) as <c>b</c> when null.</param>
    public static async Task<PseudoTerminalPair> StartAsync(string? a = null, string? b = null)
    {
        string? owned = null;
        if (a is null)
        {
            owned = RepositoryPaths.NewScratchDirectory("pty");
            a = Path.Combine(owned, "a");
        }

        b ??= Path.Combine(Path.GetDirectoryName(a)!, "b");
        foreach (var path in new[] { a, b })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.Delete(path); // a stale link from a killed run would make socat fail
        }

        var socat = ExternalCommand.Start("socat", ["-d", "-d", $"pty,raw,echo=0,link={a}", $"pty,raw,echo=0,link={b}"]);
        var pair = new PseudoTerminalPair(socat, a, b, owned);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!(File.Exists(a) && File.Exists(b)))
        {
            if (socat.HasExited || DateTime.UtcNow > deadline)
            {
                var output = socat.Output;
                await pair.DisposeAsync();
                throw new InvalidOperationException($"socat did not create the pseudo-terminals {a} and {b}: {output}");
            }

            await Task.Delay(20);
        }

        return pair;
    }

    public async ValueTask DisposeAsync()
    {
        await _socat.DisposeAsync();
        if (_ownedDirectory is not null)
        {
            try
            {
                Directory.Delete(_ownedDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
        else
        {
            File.Delete(A);
            File.Delete(B);
        }
    }
}
