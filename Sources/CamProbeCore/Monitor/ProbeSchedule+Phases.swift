extension ProbeSchedule {
    /// Each camera's phase: its offset, in [0, interval), on the grid
    /// `phase + k × interval` (k whole, time measured from 0 on the caller's
    /// clock) its regular probes fall on.
    ///
    /// Cameras with the same interval are ordered by a stable hash of their id
    /// and the i-th of n gets `(i + ½) / n × interval`: exactly even, so 1,000
    /// cameras at 300 s start 3.33 per second, where hashing ids straight to
    /// offsets would clump like a Poisson process (10 s buckets of 33 ± 6).
    /// The order depends only on the ids, so a restart gives the same phases,
    /// and adding or removing k cameras moves any other camera's phase by at
    /// most k/n of the interval.
    static func phases(for cameras: [ScheduledCamera]) -> [Double] {
        var groups: [Double: [Int]] = [:]
        for (index, camera) in cameras.enumerated() {
            groups[camera.interval, default: []].append(index)
        }
        var phases = [Double](repeating: 0, count: cameras.count)
        for (interval, members) in groups {
            let ordered = members
                .map { (hash: stableHash(cameras[$0].id), id: cameras[$0].id, index: $0) }
                .sorted { ($0.hash, $0.id) < ($1.hash, $1.id) }
            let count = Double(ordered.count)
            for (rank, member) in ordered.enumerated() {
                phases[member.index] = (Double(rank) + 0.5) / count * interval
            }
        }
        return phases
    }

    /// FNV-1a (64-bit) of the id's UTF-8, then MurmurHash3's 64-bit finalizer:
    /// the same in every process, unlike `Hasher`, which is seeded per process.
    /// FNV alone barely moves the high bits when only the last character
    /// differs, which would line up `dvr-ch01`…`dvr-ch16` side by side; the
    /// finalizer scatters them.
    static func stableHash(_ id: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in id.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        hash ^= hash >> 33
        hash &*= 0xFF51_AFD7_ED55_8CCD
        hash ^= hash >> 33
        hash &*= 0xC4CE_B9FE_1A85_EC53
        hash ^= hash >> 33
        return hash
    }

    /// The first point of the grid `phase + k × interval` at or after `time`.
    static func gridPoint(atOrAfter time: Double, phase: Double, interval: Double) -> Double {
        phase + ((time - phase) / interval).rounded(.up) * interval
    }
}
