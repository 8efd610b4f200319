using System.Runtime.InteropServices;

namespace Portal.Web.Infrastructure.Storage;

/// <summary>
/// Makes a directory's entries durable. A file's own <c>fsync</c> keeps its bytes, not its name: after a rename, a crash
/// could leave the content store with the bytes under no name, and a recorded file that answers "missing"
/// (docs/decisions/0055, "Left alone"). Linux only; elsewhere, and on file systems that refuse (some network ones), it
/// answers false and the rename stands as the operating system keeps it.
/// </summary>
internal static class DirectoryEntries
{
    // O_RDONLY | O_CLOEXEC, the same on x64 and arm64 (O_DIRECTORY is not: a directory opens read-only without it).
    private const int ReadOnly = 0, CloseOnExec = 0x80000;

    /// <summary>Flushes <paramref name="directory"/>'s entries to the disk; true when the file system confirmed it.</summary>
    public static bool Sync(string directory)
    {
        if (!OperatingSystem.IsLinux())
            return false;
        var fd = Open(directory, ReadOnly | CloseOnExec);
        if (fd < 0)
            return false;
        try
        {
            return Fsync(fd) == 0;
        }
        finally
        {
            Close(fd);
        }
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);
}
