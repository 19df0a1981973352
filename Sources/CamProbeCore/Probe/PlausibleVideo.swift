/// Values a stream declares or shows that no camera can send (a 65536×65536
/// picture, 76,790 fps) are not facts to report: the probe ends with a
/// classified failure naming the limit, and the absurd value is dropped from
/// the report so nothing downstream (verdicts, metrics, dashboards) takes it
/// for a measurement.
public enum PlausibleVideo {
    public static func check(_ report: inout ProbeReport) throws(ProbeFailure) {
        guard var video = report.video else { return }
        defer { report.video = video }
        if let width = video.width, let height = video.height, !CameraLimits.isPlausible(width: width, height: height) {
            let source = video.resolutionSource.map { " (\($0.rawValue))" } ?? ""
            video.width = nil
            video.height = nil
            video.resolutionSource = nil
            throw ProbeFailure(
                .undecodable, phase: .decode,
                "the stream declares a \(width)×\(height) picture\(source): beyond \(CameraLimits.pictureDimensions.lowerBound)–\(CameraLimits.pictureDimensions.upperBound) pixels a side, \(CameraLimits.maximumPixels) in all (CameraLimits.pictureDimensions)")
        }
        if let rate = video.declaredFrameRate, !CameraLimits.isPlausible(frameRate: rate) {
            video.declaredFrameRate = nil
            throw ProbeFailure(
                .protocolError, phase: .window,
                "the stream declares \(Self.rate(rate)) fps: beyond the plausible \(Int(CameraLimits.maximumFrameRate)) fps (CameraLimits.maximumFrameRate)")
        }
        if let rate = video.timing.frameRate, !CameraLimits.isPlausible(frameRate: rate) {
            video.timing.frameRate = nil
            throw ProbeFailure(
                .protocolError, phase: .window,
                "frames arrive with timestamps for \(Self.rate(rate)) fps: beyond the plausible \(Int(CameraLimits.maximumFrameRate)) fps (CameraLimits.maximumFrameRate)")
        }
    }

    private static func rate(_ value: Double) -> String {
        value.isFinite && abs(value) < 1e12 ? String(Int(value.rounded())) : "\(value)"
    }
}
