using System.Runtime.InteropServices;

namespace Telemetry.BrokerAccess.Mosquitto;

/// <summary>What came of asking a running broker to reload.</summary>
public enum ReloadOutcome
{
    /// <summary>No pid file, or it names no running process.</summary>
    NotRunning,

    /// <summary>The pid file names a running process that is not Mosquitto (a stale pid reused): left alone.</summary>
    NotMosquitto,

    /// <summary>SIGHUP sent: Mosquitto rereads its password file and ACL and applies them to connected clients too.</summary>
    Signalled,
}

/// <summary>SIGHUP to the Mosquitto a pid file names, so that new passwords and ACL apply without a restart.</summary>
public static partial class BrokerSignal
{
    private const int SigHup = 1;

    public static ReloadOutcome Reload(string pidFile)
    {
        ArgumentException.ThrowIfNullOrEmpty(pidFile);
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadAllText(pidFile).Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid) || pid <= 1)
        {
            return ReloadOutcome.NotRunning;
        }

        // The name the kernel gives the process: a pid file left by a broker that died may name anything by now.
        var command = $"/proc/{pid}/comm";
        string name;
        try
        {
            name = File.ReadAllText(command).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ReloadOutcome.NotRunning;
        }

        if (name != "mosquitto")
        {
            return ReloadOutcome.NotMosquitto;
        }

        return Kill(pid, SigHup) == 0 ? ReloadOutcome.Signalled : ReloadOutcome.NotRunning;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
