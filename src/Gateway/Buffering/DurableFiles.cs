using System.Runtime.InteropServices;
using System.Text;

namespace Telemetry.Gateway.Buffering;

/// <summary>The file-system steps that make writes survive a crash: atomic replacement and directory flushes.</summary>
internal static class DurableFiles
{
    /// <summary>Writes <paramref name="path"/> through a temporary file and a rename: readers see the old or the new content.</summary>
    public static void ReplaceAtomically(string path, ReadOnlySpan<byte> content, bool flushToDisk)
    {
        var temporary = path + ".tmp";
        using (var handle = File.OpenHandle(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            RandomAccess.Write(handle, content, 0);
            if (flushToDisk)
            {
                RandomAccess.FlushToDisk(handle);
            }
        }

        File.Move(temporary, path, overwrite: true);
        if (flushToDisk)
        {
            FlushDirectory(Path.GetDirectoryName(path)!);
        }
    }

    /// <summary>
    /// Makes created, renamed and deleted names in <paramref name="directory"/> survive power loss (fsync of the
    /// directory). A killed process needs no such flush; .NET cannot open a directory, hence libc.
    /// </summary>
    public static void FlushDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return; // NTFS journals names with the file; there is no directory handle to flush.
        }

        const int readOnlyCloseOnExec = 0x80000; // O_RDONLY | O_CLOEXEC
        var fd = Open(Encoding.UTF8.GetBytes(directory + '\0'), readOnlyCloseOnExec);
        if (fd < 0)
        {
            throw new IOException($"cannot open directory {directory} to flush it (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"fsync of directory {directory} failed (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open(byte[] path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);
}
