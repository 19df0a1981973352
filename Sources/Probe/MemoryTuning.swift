internal import CFFmpeg
import CamProbeCore
internal import CMalloc

/// glibc serves allocations above its mmap threshold (128 KiB at first) with
/// fresh mmap/munmap pairs, and trims the heap top back to the kernel; both
/// cost page faults every time a keyframe-sized buffer comes and goes. A prober
/// allocates such buffers probe after probe, so it raises both thresholds once:
/// big buffers are then reused from the heap instead of faulted in anew.
///
/// The price is that memory freed after an unusual probe stays in the heap;
/// `returnFreeMemory` gives it back when a worker drops what such a probe grew.
enum MemoryTuning {
    static let applied: Void = {
        _ = mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024)
        _ = mallopt(M_TRIM_THRESHOLD, 128 * 1024 * 1024)
        // Whatever size a camera declares, FFmpeg allocates no more than this at
        // once (its RTSP reader mallocs a body of any Content-Length).
        av_max_alloc(CameraLimits.ffmpegAllocationBytes)
    }()

    /// Returns freed heap memory to the kernel (every arena, `malloc_trim`): after
    /// a probe that grew buffers beyond a normal camera's, the worker goes back to
    /// its normal footprint instead of keeping the peak.
    static func returnFreeMemory() {
        _ = malloc_trim(0)
    }
}
