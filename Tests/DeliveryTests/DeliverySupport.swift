import CamProbeCore
import Foundation
import Logging
import ServiceLifecycle
@testable import Store

/// A fresh state directory, removed afterwards.
final class StateDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("camprobe-delivery-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

struct DeliveryTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Runs `service` while `body` runs, then stops it (cancellation, as a
/// graceful shutdown would) and waits until it has.
func whileRunning<S: Service>(_ service: S, _ body: (S) async throws -> Void) async throws {
    let task = Task { try await service.run() }
    do {
        try await body(service)
    } catch {
        task.cancel()
        _ = await task.result
        throw error
    }
    task.cancel()
    _ = await task.result
}

/// Polls `condition` until it holds or `timeout` passes (the machine may be slow: generous bounds).
func eventually(timeout: Double = 30, _ what: String, _ condition: () throws -> Bool) async throws {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try condition() { return }
        try await Task.sleep(for: .milliseconds(100))
    }
    throw DeliveryTestError("timed out after \(timeout) s waiting for: \(what)")
}

/// Log lines a component wrote, to assert what operators would read.
final class CapturedLog: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return lines.joined(separator: "\n")
    }

    func append(_ line: String) {
        lock.lock()
        lines.append(line)
        lock.unlock()
    }

    func logger(_ label: String) -> Logger {
        Logger(label: label) { _ in Handler(log: self) }
    }

    struct Handler: LogHandler {
        let log: CapturedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { $1 }
            let rendered = all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            log.append("\(event.level) \(event.message) \(rendered)")
        }
    }
}

/// Camera events as the monitor writes them.
enum Events {
    static func camera(
        _ id: String, _ from: MonitorState, _ to: MonitorState, host: String = "10.1.2.3", school: String = "Школа №7",
        alerted: Bool = true, affectedBy: String? = nil, at time: Date = Date()
    ) -> CloudEvent {
        CloudEvent(
            id: UUID().uuidString.lowercased(), source: "urn:camprobe:test", time: time, subject: id,
            data: .camera(CameraEventData(
                kind: .state,
                camera: EventCamera(id: id, region: "Абайская область", district: "Семей", school: school, schoolBin: nil, location: "главный вход", kind: .digital, host: host),
                from: from, to: to, since: time,
                reasons: to == .up ? [] : [StatusReasonText(code: "probe.refused", severity: "failure", text: "камера отклонила соединение")],
                alerted: alerted, affectedBy: affectedBy, probedAt: time, measured: EventMeasurement(failure: "probe.refused"))))
    }
}
