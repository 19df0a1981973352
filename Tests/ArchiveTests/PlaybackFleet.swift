import Foundation
import WebhookTestSupport

/// `scripts/replay-fleet.py` in playback mode: recorder i at 127.1.0.(i+1) on one
/// port, one channel each, keeping the archive `archives[i]` (`DAYS[:FROM-TO,...]`).
/// The clips come from `scripts/scenes.py` (cached in `$CAMPROBE_SCENE_CACHE`).
final class PlaybackFleet {
    private let fixture: FixtureProcess
    var port: Int { fixture.port }

    init(archives: [String], extra: [String] = []) throws {
        let cache = ProcessInfo.processInfo.environment["CAMPROBE_SCENE_CACHE"] ?? "/tmp/camprobe-scenes"
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let scenes = try Command.run("/usr/bin/python3", [root.appendingPathComponent("scripts/scenes.py").path, "--out", cache])
        guard scenes.status == 0 else { throw ReceiverError("scripts/scenes.py failed (\(scenes.status)): \(scenes.stderr.suffix(500))") }
        var arguments = ["--clips", cache, "--recorders", String(archives.count), "--channels", "1", "--clip-mix", "d1_h264:1", "--start-gop", "0"]
        for (index, archive) in archives.enumerated() { arguments += ["--archive", "\(index)=\(archive)"] }
        fixture = try FixtureProcess(script: "replay-fleet.py", arguments: arguments + extra, name: "playback fleet")
    }

    static func host(_ index: Int) -> String { "127.1.0.\(index + 1)" }
}
