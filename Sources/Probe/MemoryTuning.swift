internal import CMalloc

/// glibc serves allocations above its mmap threshold (128 KiB at first) with
/// fresh mmap/munmap pairs, and trims the heap top back to the kernel; both
/// cost page faults every time a keyframe-sized buffer comes and goes. A prober
/// allocates such buffers probe after probe, so it raises both thresholds once:
/// big buffers are then reused from the heap instead of faulted in anew.
enum MemoryTuning {
    static let applied: Void = {
        _ = mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024)
        _ = mallopt(M_TRIM_THRESHOLD, 128 * 1024 * 1024)
    }()
}
