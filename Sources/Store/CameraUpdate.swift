import CamProbeCore
import Foundation

/// What the daemon writes about one camera after a probe (or after its state
/// changed for another reason, such as a fleet guard): the camera's current row
/// and, when its published state changed, the transition.
///
/// Two kinds of fields:
/// - the *state* (`state`, `since`, `reasons`, `affectedBy`, `flapping`)
///   replaces what is stored, nil included (nil `affectedBy` clears it);
/// - the *last probe* (`lastProbe`, `report`, `signature`) is kept when the update
///   carries nil: "last report" means the last one there was, and an update
///   without a probe must not erase it.
///
/// A camera's availability is computed from its transitions only, so the first
/// conclusive probe must come with a transition out of `unknown`.
public struct CameraUpdate: Sendable, Equatable {
    public var camera: String
    public var state: MonitorState
    public var since: Date?
    public var reasons: [StatusReasonText]
    public var affectedBy: String?
    public var flapping: Bool
    /// When the camera was last probed; nil keeps the stored time.
    public var lastProbe: Date?
    /// The probe's report; nil keeps the stored one.
    public var report: ProbeReport?
    /// The last picture's signature (to tell a frozen picture on the next probe);
    /// nil keeps the stored one.
    public var signature: PictureSignature?
    /// Set when `state` changed. Its `camera` must be `camera` and its `to` must be
    /// `state`, or the store refuses the update (`StateStoreError.Code.invalidUpdate`).
    public var transition: StateTransition?

    public init(
        camera: String, state: MonitorState, since: Date?, reasons: [StatusReasonText] = [],
        affectedBy: String? = nil, flapping: Bool = false, lastProbe: Date? = nil,
        report: ProbeReport? = nil, signature: PictureSignature? = nil, transition: StateTransition? = nil
    ) {
        self.camera = camera
        self.state = state
        self.since = since
        self.reasons = reasons
        self.affectedBy = affectedBy
        self.flapping = flapping
        self.lastProbe = lastProbe
        self.report = report
        self.signature = signature
        self.transition = transition
    }
}

extension CameraUpdate {
    /// The update for a camera whose published status the daemon holds: its
    /// state fields come from `status` (`lastProbe` included), the rest as given.
    public init(
        status: CameraStatus, report: ProbeReport?, transition: StateTransition?,
        signature: PictureSignature? = nil
    ) {
        self.init(
            camera: status.id, state: status.state, since: status.since, reasons: status.reasons,
            affectedBy: status.affectedBy, flapping: status.flapping, lastProbe: status.lastProbe,
            report: report, signature: signature, transition: transition)
    }
}
