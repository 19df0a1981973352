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
/// `returningFreedMemory` gives it back when a worker drops what such a probe grew.
enum MemoryTuning {
    private static let trimThreshold: Int32 = 128 * 1024 * 1024

    /// glibc's malloc arenas, at most: 2. By default glibc gives threads up to 8 arenas
    /// per core, and with the trim threshold this high each keeps what its threads
    /// freed: a daemon's resident memory then grows with every arena its 48 probe
    /// threads come to use (soak: +22 % over 10,000 probes, still rising after 10
    /// minutes). Two arenas stay flat (+2.5 %); the probe threads allocate little once
    /// their buffers are grown, so sharing arenas costs no measurable contention.
    private static let arenas: Int32 = 2

    static let applied: Void = {
        _ = mallopt(M_ARENA_MAX, arenas)
        _ = mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024)
        _ = mallopt(M_TRIM_THRESHOLD, trimThreshold)
        // Whatever size a camera declares, FFmpeg allocates no more than this at
        // once (its RTSP reader mallocs a body of any Content-Length).
        av_max_alloc(CameraLimits.ffmpegAllocationBytes)
    }()

    /// Runs `release` (which frees what an unusual probe grew) so that the freed
    /// memory goes back to the kernel: after such a probe the worker returns to
    /// its normal footprint instead of keeping the peak.
    ///
    /// `malloc_trim` alone is not enough: memory freed next to the top of a
    /// thread's arena merges into it, and glibc gives a thread arena's top back
    /// (`heap_trim`) only when it exceeds `M_TRIM_THRESHOLD`, which is high on
    /// purpose. So the threshold is lowered while `release` frees, then restored.
    /// Gives the pages malloc holds free back to the kernel, in every arena
    /// (`malloc_trim` releases whole free pages inside the heaps too). For after
    /// a burst of short-lived allocations: loading a region's configuration,
    /// encoding a large status document.
    static func returnFreedMemory() {
        _ = malloc_trim(0)
    }

    static func returningFreedMemory(_ release: () -> Void) {
        _ = mallopt(M_TRIM_THRESHOLD, 0)
        release()
        _ = malloc_trim(0)
        _ = mallopt(M_TRIM_THRESHOLD, trimThreshold)
    }
}
