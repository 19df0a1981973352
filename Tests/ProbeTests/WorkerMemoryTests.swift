import CamProbeCore
import Foundation
@testable import Probe
import Testing

/// A worker that met a monstrous keyframe goes back to its normal footprint:
/// its buffers shrink, its grown decoder is dropped and the freed heap goes
/// back to the kernel. Measured on a real worker workspace against the
/// hostile camera's 6 MiB keyframes, in this process's resident memory.
@Suite(.serialized)
struct WorkerMemoryTests {
    /// Anonymous resident memory (`RssAnon`): the heap and what FFmpeg
    /// allocates, without the library code pages a first decode faults in.
    static func residentBytes() throws -> Int {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("RssAnon:") })
        return try #require(Int(line.split(separator: " ", omittingEmptySubsequences: true)[1])) * 1024
    }

    func probe(_ url: String, workspace: ProbeWorkspace) throws -> ProbeReport {
        StreamProbe(
            url: try StreamURL(parsing: url), options: ProbeOptions(window: 1, phaseTimeout: 2), interrupt: InterruptState(),
            workspace: workspace, thresholds: PictureThresholds(), previousSignature: nil
        ).run()
    }

    @Test(.disabled(if: Sanitizer.active != nil, "resident memory under a sanitizer is the sanitizer's"))
    func afterAGiantKeyframe_theWorkerReturnsToItsNormalFootprint() async throws {
        let camera = try await HostileCamera.shared()
        _ = MemoryTuning.applied
        let workspace = ProbeWorkspace(decoders: DecoderPool(count: 1))
        // Warm up on a normal camera: decoder open, buffers at their working size.
        let normal = try probe(try camera.url("healthy"), workspace: workspace)
        #expect(normal.failure == nil)
        let before = try Self.residentBytes()

        let giant = try probe(try camera.url("giant_keyframe"), workspace: workspace)
        #expect(giant.failure == nil, "\(String(describing: giant.failure))")
        // The 6 MiB keyframes went through (the bitrate counts them) and were decoded.
        let bitrate = try #require(giant.video?.timing.bitrate)
        #expect(bitrate > 20_000_000, "\(bitrate) bit/s")
        #expect(giant.picture != nil)
        #expect(workspace.footprint <= 3 * ProbeWorkspace.keptCapacity, "\(workspace.footprint) bytes kept")
        let after = try Self.residentBytes()
        // Without giving it back the worker kept ~16 MiB more (its arena's top,
        // which glibc trims only beyond M_TRIM_THRESHOLD).
        #expect(after - before < 4 * 1024 * 1024, "resident \(before / 1_048_576) MiB before, \(after / 1_048_576) MiB after")
    }

    /// A prober with a worker per probe it may run at once makes a workspace only
    /// for the probes that really run at once: probes one after another share one,
    /// and four at once make no more than four, whatever the worker count.
    @Test func workspaces_followTheProbesRunningAtOnce_notTheWorkers() async throws {
        let camera = try await HostileCamera.shared()
        let prober = Prober(concurrency: 32)
        let url = try StreamURL(parsing: try camera.url("healthy"))
        let options = ProbeOptions(window: 1, phaseTimeout: 2)
        for _ in 0..<3 {
            let report = await prober.probe(url, options: options)
            #expect(report.failure == nil, "\(String(describing: report.failure))")
        }
        #expect(prober.workspacesMade == 1)
        let reports = await withTaskGroup(of: ProbeReport.self) { group in
            for _ in 0..<4 { group.addTask { await prober.probe(url, options: options) } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(reports.count == 4 && reports.allSatisfy { $0.failure == nil })
        #expect(prober.workspacesMade >= 1 && prober.workspacesMade <= 4, "\(prober.workspacesMade) workspaces")
    }
}
