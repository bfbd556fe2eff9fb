using System.Runtime.InteropServices;

namespace Telemetry.Modbus.Native;

/// <summary>The few POSIX calls the servers need around libmodbus: waiting with a timeout, reading a tty, closing a socket.</summary>
internal static unsafe partial class Libc
{
    internal const short PollIn = 0x001;
    internal const short PollErr = 0x008;
    internal const short PollHup = 0x010;
    internal const short PollNval = 0x020;

    internal const int EINTR = 4;
    internal const int EAGAIN = 11;

    static Libc()
    {
        LibModbus.EnsureResolver();
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport(LibModbus.LibC, EntryPoint = "poll", SetLastError = true)]
    internal static partial int Poll(PollFd* fds, nuint count, int timeoutMilliseconds);

    [LibraryImport(LibModbus.LibC, EntryPoint = "read", SetLastError = true)]
    internal static partial nint Read(int fd, byte* buffer, nuint count);

    [LibraryImport(LibModbus.LibC, EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);

    [LibraryImport(LibModbus.LibC, EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int Open(string path, int flags);

    [LibraryImport(LibModbus.LibC, EntryPoint = "getsockname", SetLastError = true)]
    internal static partial int GetSockName(int fd, byte* address, ref uint addressLength);

    /// <summary>Waits until <paramref name="fd"/> is readable (or in error); false on timeout.</summary>
    internal static bool WaitReadable(int fd, int timeoutMilliseconds, out short revents)
    {
        var pollFd = new PollFd { Fd = fd, Events = PollIn };
        while (true)
        {
            var rc = Poll(&pollFd, 1, timeoutMilliseconds);
            if (rc < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == EINTR)
                {
                    continue;
                }

                revents = PollErr;
                return true;
            }

            revents = pollFd.Revents;
            return rc > 0;
        }
    }

    /// <summary>
    /// The descriptor the next open() or socket() would get (POSIX hands out the lowest free one), or -1 if
    /// it cannot be told. Other threads may take it meanwhile: this is a probe, not a reservation.
    /// </summary>
    internal static int LowestFreeDescriptor()
    {
        const int O_RDONLY_CLOEXEC = 0x80000; // O_RDONLY | O_CLOEXEC on Linux
        var fd = Open("/dev/null", O_RDONLY_CLOEXEC);
        if (fd >= 0)
        {
            _ = Close(fd);
        }

        return fd;
    }

    /// <summary>The local TCP port of a bound IPv4 or IPv6 socket.</summary>
    internal static int LocalPort(int fd)
    {
        var buffer = stackalloc byte[128];
        uint length = 128;
        if (GetSockName(fd, buffer, ref length) != 0)
        {
            return -1;
        }

        // sockaddr_in and sockaddr_in6 both keep the port, big-endian, at bytes 2..3.
        return (buffer[2] << 8) | buffer[3];
    }
}
