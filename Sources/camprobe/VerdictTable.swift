import CamProbeCore

/// The table of `camprobe probe --config …`: one row per camera, its state and
/// every reason in the configured language.
enum VerdictTable {
    static func render(_ results: [InventoryProbe.Result], language: Language) -> String {
        var rows: [[String]] = [["CAMERA", "SCHOOL", "LOCATION", "STATE", "CODEC", "RESOLUTION", "FPS", "REASONS"]]
        for result in results {
            let video = result.report.video
            let resolution = video.flatMap { v in v.width.map { "\($0)x\(v.height ?? 0)" } } ?? "-"
            let fps = video?.timing.frameRate.map { ReportTable.format($0, digits: 2) } ?? "-"
            let reasons = result.verdict.reasons.map { $0.text(in: language) }.joined(separator: "; ")
            rows.append([
                result.camera.id, result.camera.school.name, result.camera.location ?? "-",
                result.verdict.state.name(in: language), video?.codec ?? "-", resolution, fps,
                reasons.isEmpty ? "-" : reasons,
            ])
        }
        return ReportTable.layout(rows)
    }
}
