import CamProbeCore
import Foundation
import Store

/// Which pictures a file carries: all of them for a school or a district, but
/// a region's 17,432 cameras have ~35,000 (~18 KB each): ~800 MB of `data:`
/// URLs, a file no browser opens. So a file has a budget, spent on the
/// evidence first.
extension ReportBuilder {
    /// The order the budget is spent in: the cameras not working (their latest
    /// picture, then the one at the change: what the camera showed before it
    /// went down), the non-compliant ones, then the rest; in report order within
    /// each pass.
    static let inlinePasses: [(classes: Set<Compliance>, kind: SnapshotStore.Kind)] = [
        ([.notWorking], .latest), ([.notWorking], .change), ([.nonCompliant], .latest), ([.nonCompliant], .change),
        ([.compliant, .unknown], .latest), ([.compliant, .unknown], .change),
    ]

    /// Gives pictures their inline bytes in ``inlinePasses`` order until one
    /// does not fit in what is left of `budget` bytes: the pictures a file
    /// carries are always the first ones of that order. Returns how many
    /// cameras keep their latest picture without its bytes (a picture at the
    /// change left out is not shown at all).
    func inlineSnapshots(_ schools: inout [InspectionReport.School], budget: Int) -> Int {
        guard let snapshots else { return 0 }
        var left = max(0, budget)
        passes: for pass in Self.inlinePasses {
            for s in schools.indices {
                for c in schools[s].cameras.indices where pass.classes.contains(schools[s].cameras[c].compliance) {
                    let camera = schools[s].cameras[c]
                    let reference = pass.kind == .latest ? camera.snapshot : camera.changeSnapshot
                    // Gone since it was listed (the daemon replaced or pruned it): no picture to carry.
                    guard reference != nil, let stored = snapshots.read(camera: camera.id, kind: pass.kind) else { continue }
                    guard stored.jpeg.count <= left else { break passes }
                    left -= stored.jpeg.count
                    let inline = InspectionReport.SnapshotRef(
                        takenAt: stored.takenAt, source: "data:image/jpeg;base64," + Data(stored.jpeg).base64EncodedString())
                    if pass.kind == .latest { schools[s].cameras[c].snapshot = inline } else { schools[s].cameras[c].changeSnapshot = inline }
                }
            }
        }
        return schools.reduce(0) { count, school in
            count + school.cameras.filter { $0.snapshot != nil && $0.snapshot?.source == nil }.count
        }
    }
}
