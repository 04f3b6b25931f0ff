using System;
using System.Collections.Generic;
using System.Reflection;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace LossDsl.Fused;

/// <summary>
/// The fused path's gradient tensors, over memory this class keeps and lends again once libtorch lets go of it. A fresh
/// 8 MB tensor from <c>empty_like</c> is fresh pages nearly every call (glibc gives the freed block back to the kernel):
/// a page fault per 4 KB page, which costs as much as the kernel itself (docs/performance-tunings.md). The tensor is
/// made by TorchSharp's own native constructor with a deleter of ours (TorchSharp 0.107's signature, looked up once);
/// where that constructor is not found, gradients come from <c>empty_like</c> as before.
/// </summary>
internal static class GradientMemory
{
    /// <summary>Most bytes kept free for lending; a block beyond it is freed when libtorch lets go of it.</summary>
    public const long KeptBytes = 64L << 20;
    /// <summary>
    /// Blocks smaller than this come from <c>empty_like</c>, from glibc's heap. A 512 KB gradient (8×1×128×128 float32)
    /// was fresh pages in one call of four (27 page faults a call on average); a 128 KB one lent cost more than it saved.
    /// </summary>
    public const long SmallestBytes = 256L << 10;

    private static readonly object s_gate = new();
    private static readonly List<(IntPtr Data, long Bytes)> s_free = new();
    private static readonly Dictionary<IntPtr, long> s_lent = new();
    private static long s_freeBytes;
    private static readonly (MethodInfo Create, Delegate Deleter)? s_native = FindNative();

    /// <summary>Whether gradients are lent from this class (TorchSharp's native constructor was found).</summary>
    public static bool Available => s_native is not null;

    /// <summary>Blocks lent out and not yet let go of by libtorch (for tests).</summary>
    public static int Lent { get { lock (s_gate) return s_lent.Count; } }

    /// <summary>Frees the kept blocks no tensor uses (lent ones come back as usual).</summary>
    public static void FreeKept()
    {
        List<(IntPtr Data, long Bytes)> blocks;
        lock (s_gate)
        {
            blocks = new(s_free);
            s_free.Clear();
            s_freeBytes = 0;
        }
        foreach (var (data, _) in blocks) unsafe { NativeMemory.AlignedFree((void*)data); }
    }

    /// <summary>An uninitialized tensor of <paramref name="like"/>'s shape and dtype on the CPU, over kept memory when there is some.</summary>
    public static unsafe Tensor Empty(Tensor like)
    {
        long bytes = like.numel() * like.element_size();
        if (s_native is not { } native || bytes < SmallestBytes) return empty_like(like);
        var data = Rent(bytes);
        var shape = like.shape;
        var handle = IntPtr.Zero;
        try
        {
            fixed (long* sizes = shape)
                handle = (IntPtr)native.Create.Invoke(null, [data, native.Deleter, (IntPtr)sizes, shape.Length, (sbyte)like.dtype, (sbyte)like.dtype, (int)DeviceType.CPU, -1, false])!;
        }
        finally
        {
            // Not taken (a null tensor or an exception): keep the block (Release ignores one the deleter already had).
            if (handle == IntPtr.Zero) Release(data);
        }
        return handle == IntPtr.Zero ? empty_like(like) : Tensor.UnsafeCreateTensor(handle);
    }

    /// <summary>
    /// A block of at least <paramref name="bytes"/>: the kept one that fits most tightly (up to twice the size, so maps
    /// of varying sizes share blocks without wasting much; of equal fits the last returned, its pages likeliest in
    /// cache), else a new one.
    /// </summary>
    private static IntPtr Rent(long bytes)
    {
        lock (s_gate)
        {
            int best = -1;
            for (int i = s_free.Count - 1; i >= 0; i--)
            {
                long size = s_free[i].Bytes;
                if (size >= bytes && size <= 2 * bytes && (best < 0 || size < s_free[best].Bytes)) best = i;
            }
            var (data, blockBytes) = best >= 0 ? s_free[best] : (IntPtr.Zero, bytes);
            if (best >= 0)
            {
                s_free.RemoveAt(best);
                s_freeBytes -= blockBytes;
            }
            else unsafe { data = (IntPtr)NativeMemory.AlignedAlloc((nuint)bytes, 64); }
            s_lent.Add(data, blockBytes);
            return data;
        }
    }

    // libtorch calls this when the last tensor over a block goes, on whichever thread that is.
    private static void Release(IntPtr data)
    {
        lock (s_gate)
        {
            if (!s_lent.Remove(data, out var bytes)) return;
            if (s_freeBytes + bytes <= KeptBytes)
            {
                s_free.Add((data, bytes));
                s_freeBytes += bytes;
                return;
            }
        }
        unsafe { NativeMemory.AlignedFree((void*)data); }
    }

    /// <summary>TorchSharp's <c>THSTensor_new(data, deleter, sizes, rank, type, dtype, device type, device index, requires_grad)</c>, if it has that shape.</summary>
    private static (MethodInfo, Delegate)? FindNative()
    {
        var assembly = typeof(torch).Assembly;
        var create = assembly.GetType("TorchSharp.PInvoke.NativeMethods")?.GetMethod("THSTensor_new", BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.Static);
        var deleterType = assembly.GetType("TorchSharp.PInvoke.GCHandleDeleter");
        if (create is null || deleterType is null) return null;
        var expected = new[] { typeof(IntPtr), deleterType, typeof(IntPtr), typeof(int), typeof(sbyte), typeof(sbyte), typeof(int), typeof(int), typeof(bool) };
        var actual = Array.ConvertAll(create.GetParameters(), p => p.ParameterType);
        if (create.ReturnType != typeof(IntPtr) || !actual.AsSpan().SequenceEqual(expected)) return null;
        // Kept in a static field with the method: the native side holds only the function pointer.
        return (create, Delegate.CreateDelegate(deleterType, typeof(GradientMemory).GetMethod(nameof(Release), BindingFlags.NonPublic | BindingFlags.Static)!));
    }
}
