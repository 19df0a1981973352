import CamProbeCore
@testable import Probe
import Testing

/// The window's keyframes in two buffers: the next keyframe is assembled where
/// the previous one was, since it replaces it. Fed Annex-B H.264 units through
/// the real assembler and workspace.
struct KeyframeBuffersTests {
    static let sps: [UInt8] = [0, 0, 0, 1, 0x67, 0x42, 0x00, 0x1E]
    static let pps: [UInt8] = [0, 0, 0, 1, 0x68, 0xCE, 0x38, 0x80]
    static func idr(_ fill: UInt8, _ count: Int) -> [UInt8] { [0, 0, 0, 1, 0x65, 0x88] + [UInt8](repeating: fill, count: count) }
    static func slice(_ count: Int) -> [UInt8] { [0, 0, 0, 1, 0x41, 0x9A] + [UInt8](repeating: 7, count: count) }

    struct Window {
        var assembler: AccessUnitAssembler
        var timeline = StreamTimeline()
        let workspace = ProbeWorkspace(decoders: DecoderPool(count: 1))
        var pts = 0.0

        init(keepsTwo: Bool) {
            assembler = AccessUnitAssembler(
                family: .h264, annexB: true, intraOnly: false, options: ProbeOptions(), keepsTwoKeyframes: keepsTwo)
            workspace.reset()
        }

        /// One access unit of `packets`; finished (as the next unit's first packet does) unless `cut`.
        mutating func unit(_ packets: [[UInt8]], cut: Bool = false) throws -> Bool {
            assembler.begin(pts: pts)
            pts += 0.04
            for packet in packets {
                _ = try packet.withUnsafeBufferPointer { try assembler.add($0, keyFlag: false, workspace: workspace) }
            }
            return cut ? false : assembler.finish(into: &timeline, workspace: workspace)
        }
    }

    @Test func twoKeyframesKept_inTwoBuffers_theLatestAndTheOneBefore() throws {
        var window = Window(keepsTwo: true)
        let first = Self.sps + Self.pps + Self.idr(1, 3_000)
        #expect(try window.unit([Self.sps, Self.pps, Self.idr(1, 3_000)]))
        #expect(window.workspace.latestKeyframe == first)
        #expect(!window.workspace.hasPreviousKeyframe)
        #expect(try !window.unit([Self.slice(900)]))
        #expect(try !window.unit([Self.slice(800)]))
        #expect(window.workspace.latestKeyframe == first, "delta frames leave the keyframes alone")
        let second = Self.sps + Self.pps + Self.idr(2, 2_000)
        #expect(try window.unit([Self.sps, Self.pps, Self.idr(2, 2_000)]))
        #expect(window.workspace.latestKeyframe == second)
        #expect(window.workspace.previousKeyframe == first)
        #expect(window.workspace.hasPreviousKeyframe)
        // Picture data counts from the slice's 00 00 01 (the 4-byte start code's last three).
        #expect(window.workspace.latestKeyframePictureBytes == Self.idr(2, 2_000).count - 1)
        // A third rotates: the first is gone, the second is the previous one.
        let third = Self.idr(3, 2_500)
        #expect(try window.unit([third]))
        #expect(window.workspace.latestKeyframe == third)
        #expect(window.workspace.previousKeyframe == second)
    }

    @Test func keyframeCutOffByTheWindowsEnd_leavesTheLatest_andNoPrevious() throws {
        var window = Window(keepsTwo: true)
        let first = Self.sps + Self.pps + Self.idr(1, 3_000)
        #expect(try window.unit([Self.sps, Self.pps, Self.idr(1, 3_000)]))
        #expect(try window.unit([Self.idr(2, 2_000)]))
        #expect(window.workspace.hasPreviousKeyframe)
        // The next keyframe starts where the previous one was, and never ends.
        _ = try window.unit([Self.sps, Self.pps, Self.idr(4, 1_000)], cut: true)
        #expect(window.workspace.latestKeyframe == Self.idr(2, 2_000))
        #expect(!window.workspace.hasPreviousKeyframe, "the previous keyframe was overwritten by the one cut off")
        #expect(window.workspace.previousKeyframe != first)
    }

    @Test func oneKeyframeKept_whenTwoAreNotWanted() throws {
        var window = Window(keepsTwo: false)
        #expect(try window.unit([Self.sps, Self.pps, Self.idr(1, 3_000)]))
        #expect(try window.unit([Self.idr(2, 2_000)]))
        #expect(window.workspace.latestKeyframe == Self.idr(2, 2_000))
        #expect(!window.workspace.hasPreviousKeyframe)
        #expect(window.workspace.previousKeyframe.isEmpty)
    }

    @Test func parameterSetsOfADeltaFrame_areNotKept() throws {
        var window = Window(keepsTwo: true)
        #expect(try window.unit([Self.sps, Self.pps, Self.idr(1, 3_000)]))
        #expect(try !window.unit([Self.sps, Self.pps, Self.slice(900)]))
        #expect(window.workspace.unitPrefix.isEmpty)
        #expect(window.workspace.latestKeyframe == Self.sps + Self.pps + Self.idr(1, 3_000))
        #expect(!window.workspace.hasPreviousKeyframe)
    }
}
