/// One comparison of a probe's picture with an earlier one: the evidence behind
/// ``PictureFlag/frozen``.
public struct PictureComparison: Sendable, Codable, Equatable {
    /// What the picture was compared with.
    public enum Reference: String, Sendable, Codable {
        /// An earlier keyframe of the same probe's window (a GOP or more earlier).
        case earlierKeyframe = "earlier_keyframe"
        /// The picture of the camera's previous probe (the daemon keeps its signature).
        case previousProbe = "previous_probe"
    }

    public var reference: Reference
    /// ``PictureSignature/difference(to:)``: mean cell difference, share of full scale (0…1).
    public var difference: Double
    /// ``PictureSignature/largestChange(to:)``: the largest cell difference, luma codes.
    public var largestChange: Int

    public init(reference: Reference, difference: Double, largestChange: Int) {
        self.reference = reference
        self.difference = difference
        self.largestChange = largestChange
    }

    /// Compares `current` with `earlier`.
    public init(_ current: PictureSignature, against earlier: PictureSignature, reference: Reference) {
        self.init(
            reference: reference, difference: current.difference(to: earlier), largestChange: current.largestChange(to: earlier))
    }
}
