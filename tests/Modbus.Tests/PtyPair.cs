using Telemetry.Testing;

namespace Telemetry.Modbus.Tests;

/// <summary>Two linked pseudo-terminals made by socat: what one end writes, the other reads (a null-modem cable).</summary>
internal sealed class PtyPair : IAsyncDisposable
{
    private readonly RunningCommand _socat;
    private readonly string _directory;

    private PtyPair(RunningCommand socat, string directory)
    {
        _socat = socat;
        _directory = directory;
        A = Path.Combine(directory, "a");
        B = Path.Combine(directory, "b");
    }

    /// <summary>One end (for a master, say).</summary>
    public string A { get; }

    /// <summary>The other end (for a server).</summary>
    public string B { get; }

    public static async Task<PtyPair> StartAsync()
    {
        var directory = RepositoryPaths.NewScratchDirectory("pty");
        var socat = ExternalCommand.Start("socat", ["-d", "-d", $"pty,raw,echo=0,link={directory}/a", $"pty,raw,echo=0,link={directory}/b"]);
        var pair = new PtyPair(socat, directory);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!(File.Exists(pair.A) && File.Exists(pair.B)))
        {
            if (socat.HasExited || DateTime.UtcNow > deadline)
            {
                var output = socat.Output;
                await pair.DisposeAsync();
                throw new InvalidOperationException($"socat did not create the pseudo-terminals: {output}");
            }

            await Task.Delay(20);
        }

        return pair;
    }

    public async ValueTask DisposeAsync()
    {
        await _socat.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
