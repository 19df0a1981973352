internal import CRabbitMQ
import Glibc

/// Owns C copies of the strings and bodies one librabbitmq call borrows as `amqp_bytes_t`,
/// so that call sites need no nest of `withUnsafeBytes` closures. librabbitmq only reads them
/// during the call (`amqp_basic_publish` serialises before returning), so the arena lives for
/// one call and frees everything in `deinit`.
final class AMQPByteArena {
    private var allocations: [UnsafeMutableRawPointer] = []

    func bytes(_ string: String) -> amqp_bytes_t {
        bytes(Array(string.utf8))
    }

    func bytes(_ array: [UInt8]) -> amqp_bytes_t {
        guard !array.isEmpty else { return amqp_bytes_t(len: 0, bytes: nil) }
        let pointer = UnsafeMutableRawPointer.allocate(byteCount: array.count, alignment: 1)
        array.withUnsafeBytes { pointer.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        allocations.append(pointer)
        return amqp_bytes_t(len: array.count, bytes: pointer)
    }

    deinit {
        for pointer in allocations { pointer.deallocate() }
    }
}

extension amqp_bytes_t {
    /// Copies librabbitmq-owned bytes (valid until the next `amqp_maybe_release_buffers`).
    var array: [UInt8] {
        guard len > 0, let bytes else { return [] }
        return Array(UnsafeRawBufferPointer(start: bytes, count: len))
    }

    var string: String { String(decoding: array, as: UTF8.self) }
}
