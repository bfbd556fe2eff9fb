using System.Diagnostics;
using System.Text;

namespace Telemetry.Testing;

/// <summary>The outcome of a finished external command.</summary>
public sealed record CommandResult(int ExitCode, string StandardOutput, string StandardError)
{
    public CommandResult EnsureSuccess(string what)
    {
        if (ExitCode != 0)
        {
            throw new InvalidOperationException($"{what} exited with {ExitCode}: {StandardError}{StandardOutput}");
        }

        return this;
    }
}

/// <summary>Runs the real peers (mosquitto_pub, influx, mbpoll, socat...) from tests.</summary>
public static class ExternalCommand
{
    public static async Task<CommandResult> RunAsync(string file, IEnumerable<string> arguments, TimeSpan? timeout = null, string? standardInput = null)
    {
        using var process = new Process { StartInfo = Info(file, arguments, standardInput is not null) };
        var output = new StringBuilder();
        var error = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (error) { error.AppendLine(e.Data); } } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput);
            process.StandardInput.Close();
        }

        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish within {timeout ?? TimeSpan.FromSeconds(30)}; output so far: {output}{error}");
        }

        process.WaitForExit(); // flushes the asynchronous readers
        return new CommandResult(process.ExitCode, output.ToString(), error.ToString());
    }

    /// <summary>Starts a long-running command; dispose the handle to kill it.</summary>
    public static RunningCommand Start(string file, IEnumerable<string> arguments, IDictionary<string, string>? environment = null)
    {
        var info = Info(file, arguments, redirectInput: false);
        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                info.Environment[key] = value;
            }
        }

        return new RunningCommand(Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}"));
    }

    private static ProcessStartInfo Info(string file, IEnumerable<string> arguments, bool redirectInput)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }
}

/// <summary>A process started by a test; its output is collected, and it dies with the handle.</summary>
public sealed class RunningCommand : IAsyncDisposable
{
    private readonly StringBuilder _output = new();

    internal RunningCommand(Process process)
    {
        Process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Process Process { get; }

    public bool HasExited => Process.HasExited;

    /// <summary>Standard output and error so far, interleaved.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Raised for every line the process writes.</summary>
    public event Action<string>? LineWritten;

    /// <summary>SIGKILL: the process gets no chance to clean up.</summary>
    public void Kill()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            Process.WaitForExit();
        }
    }

    /// <summary>SIGTERM, then SIGKILL if it has not exited within the grace period.</summary>
    public async Task StopAsync(TimeSpan? grace = null)
    {
        if (Process.HasExited)
        {
            return;
        }

        Posix.Terminate(Process.Id);
        using var cts = new CancellationTokenSource(grace ?? TimeSpan.FromSeconds(10));
        try
        {
            await Process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
        }
    }

    public async Task<string> WaitForOutputAsync(Func<string, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var text = Output;
            if (condition(text))
            {
                return text;
            }

            if (Process.HasExited)
            {
                throw new InvalidOperationException($"process exited with {Process.ExitCode} before the expected output: {text}");
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"expected output did not appear within {timeout}: {Output}");
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await Task.CompletedTask;
        Process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        LineWritten?.Invoke(line);
    }
}
