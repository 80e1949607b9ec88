using System.Runtime.InteropServices;

namespace Course.Training;

/// <summary>
/// Peak GPU memory in use while something runs, sampled through NVML (the NVIDIA driver's management library).
/// TorchSharp 0.107 exposes no CUDA allocator statistics, so this measures the device as nvidia-smi does: memory
/// held by every process on it (the caching allocator's reserved memory plus the CUDA context).
/// </summary>
public sealed partial class GpuMemory : IDisposable
{
    private readonly IntPtr _device;
    private readonly Thread? _sampler;
    private volatile bool _stop;
    private long _peak;

    /// <summary>Bytes in use when sampling started.</summary>
    public long Baseline { get; }

    /// <summary>The most bytes in use seen so far.</summary>
    public long Peak => Interlocked.Read(ref _peak);

    /// <summary>Bytes in use now.</summary>
    public long Current => Used();

    private GpuMemory(IntPtr device, TimeSpan interval)
    {
        _device = device;
        Baseline = _peak = Used();
        _sampler = new Thread(() =>
        {
            while (!_stop)
            {
                var used = Used();
                if (used > Interlocked.Read(ref _peak)) Interlocked.Exchange(ref _peak, used);
                Thread.Sleep(interval);
            }
        }) { IsBackground = true, Name = "gpu-memory" };
        _sampler.Start();
    }

    /// <summary>Starts sampling GPU <paramref name="index"/> every 20 ms; null where NVML is not available (no NVIDIA driver).</summary>
    public static GpuMemory? StartSampling(int index = 0)
    {
        try
        {
            if (nvmlInit_v2() != 0 || nvmlDeviceGetHandleByIndex_v2((uint)index, out var device) != 0) return null;
            return new GpuMemory(device, TimeSpan.FromMilliseconds(20));
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The total memory of GPU <paramref name="index"/>, or null where NVML is not available.</summary>
    public static long? Total(int index = 0)
    {
        try
        {
            if (nvmlInit_v2() != 0 || nvmlDeviceGetHandleByIndex_v2((uint)index, out var device) != 0) return null;
            return nvmlDeviceGetMemoryInfo(device, out var memory) == 0 ? (long)memory.Total : null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    private long Used() => nvmlDeviceGetMemoryInfo(_device, out var memory) == 0 ? (long)memory.Used : 0;

    public void Dispose()
    {
        _stop = true;
        _sampler?.Join();
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct NvmlMemory
    {
        public ulong Total, Free, Used;
    }

    [LibraryImport("libnvidia-ml.so.1")]
    private static partial int nvmlInit_v2();

    [LibraryImport("libnvidia-ml.so.1")]
    private static partial int nvmlDeviceGetHandleByIndex_v2(uint index, out IntPtr device);

    [LibraryImport("libnvidia-ml.so.1")]
    private static partial int nvmlDeviceGetMemoryInfo(IntPtr device, out NvmlMemory memory);
}
