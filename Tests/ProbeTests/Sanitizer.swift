import Foundation

/// The sanitizer `scripts/sanitize` runs the tests under (`address` or
/// `thread`); nil in a normal run. Under one, resident memory measures the
/// sanitizer (AddressSanitizer's shadow memory and 256 MiB quarantine of freed
/// blocks, ThreadSanitizer's shadow), not the prober: memory bounds hold in the
/// normal build `scripts/test` runs, and are not asserted under a sanitizer.
enum Sanitizer {
    static let active = ProcessInfo.processInfo.environment["CAMPROBE_SANITIZER"]
}
