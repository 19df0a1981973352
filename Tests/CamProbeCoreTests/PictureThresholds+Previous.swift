import CamProbeCore

extension PictureThresholds {
    /// `assess(_:comparisons:quietFrameBytesPerMegapixel:)` against the `previous`
    /// probe's signature, with nothing known of the stream's non-key frames: the
    /// picture rules alone, as the unit tests drive them.
    func assess(_ stats: PictureStatistics, previous: PictureSignature?) -> [PictureFlag] {
        let comparisons = previous.map { [PictureComparison(stats.signature, against: $0, reference: .previousProbe)] } ?? []
        return assess(stats, comparisons: comparisons, quietFrameBytesPerMegapixel: nil)
    }
}
