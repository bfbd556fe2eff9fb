using System.Runtime.InteropServices;

namespace Telemetry.Testing;

internal static partial class Posix
{
    private const int SigTerm = 15;
    private const int SigCont = 18;
    private const int SigStop = 19;

    public static void Terminate(int pid) => _ = Kill(pid, SigTerm);

    public static void Stop(int pid) => _ = Kill(pid, SigStop);

    public static void Continue(int pid) => _ = Kill(pid, SigCont);

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}
