using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Portal.Web.Infrastructure.Storage;

/// <summary>
/// Writes an upload straight to the disk, past the page cache (Linux <c>O_DIRECT</c>), in whole aligned pieces; a last,
/// shorter piece goes through the page cache. Copying a gigabyte of evidence into the page cache cost the portal more CPU
/// than receiving it (docs/decisions/0055), and evidence is written once and read rarely, so caching it only pushed the
/// database's pages out. Where the file system refuses direct writes (tmpfs, some network file systems) or the platform
/// is not Linux, every piece goes through the page cache as before: the bytes on disk are the same either way.
/// </summary>
internal sealed class DirectWriter
{
    /// <summary>Buffers, offsets and lengths of direct writes are multiples of this (the largest logical block size in use).</summary>
    public const int Alignment = 4096;

    private const int GetFlags = 3, SetFlags = 4, InvalidArgument = 22;

    private readonly SafeFileHandle handle;
    private bool direct;
    private long position;

    public DirectWriter(SafeFileHandle handle)
    {
        this.handle = handle;
        direct = SetDirect(handle, on: true);
    }

    /// <summary>True while pieces go straight to the disk (tests show which path they took).</summary>
    public bool Direct => direct;

    public void Write(ReadOnlySpan<byte> piece)
    {
        if (direct && piece.Length % Alignment != 0)
        {
            SetDirect(handle, on: false);
            direct = false;
        }
        if (direct)
        {
            try
            {
                RandomAccess.Write(handle, piece, position);
                position += piece.Length;
                return;
            }
            catch (IOException e) when (e.HResult == InvalidArgument)
            {
                // The file system took the flag but not the write (an alignment it wants larger): nothing was written.
                // Any other failure is a real one and is reported.
                SetDirect(handle, on: false);
                direct = false;
            }
        }
        RandomAccess.Write(handle, piece, position);
        position += piece.Length;
    }

    /// <summary>The size of a piece: whole pieces are written straight to the disk.</summary>
    public const int PieceSize = 1 << 20;

    /// <summary>Buffers of uploads that ended, kept for the next (pinned memory is never compacted, so it is reused, not churned).</summary>
    private static readonly System.Collections.Concurrent.ConcurrentBag<Memory<byte>> Spare = [];
    private const int MostSpare = 8;

    /// <summary>A <see cref="PieceSize"/> buffer starting on an <see cref="Alignment"/> boundary; give it back with <see cref="ReturnBuffer"/>.</summary>
    public static Memory<byte> RentBuffer() => Spare.TryTake(out var buffer) ? buffer : AlignedBuffer(PieceSize);

    public static void ReturnBuffer(Memory<byte> buffer)
    {
        if (buffer.Length == PieceSize && Spare.Count < MostSpare)
            Spare.Add(buffer);
    }

    /// <summary>A buffer of <paramref name="size"/> bytes starting on an <see cref="Alignment"/> boundary; pinned, so it stays there.</summary>
    public static Memory<byte> AlignedBuffer(int size)
    {
        var array = GC.AllocateUninitializedArray<byte>(size + Alignment, pinned: true);
        var address = (long)Marshal.UnsafeAddrOfPinnedArrayElement(array, 0);
        var offset = (int)((Alignment - address % Alignment) % Alignment);
        return array.AsMemory(offset, size);
    }

    /// <summary>Turns direct writes on or off for an open file; false where the platform or file system has none.</summary>
    private static bool SetDirect(SafeFileHandle handle, bool on)
    {
        if (!OperatingSystem.IsLinux() || DirectFlag is not { } flag)
            return false;
        var fd = (int)handle.DangerousGetHandle();
        var flags = Fcntl(fd, GetFlags, 0);
        if (flags < 0)
            return false;
        return Fcntl(fd, SetFlags, on ? flags | flag : flags & ~flag) == 0;
    }

    /// <summary>Linux's O_DIRECT differs by architecture.</summary>
    private static int? DirectFlag => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 or Architecture.X86 => 0x4000,
        Architecture.Arm64 or Architecture.Arm => 0x10000,
        _ => null,
    };

    [DllImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static extern int Fcntl(int fd, int command, int argument);
}
