import Foundation

extension FleetGuard {
    /// One group kind's thresholds, from the policy.
    struct GroupRule: Sendable {
        var share: Double
        var recoveryShare: Double
        var minimumFailing: Int
        var minimumHosts: Int
    }

    var hostRule: GroupRule {
        GroupRule(
            share: policy.hostShare, recoveryShare: policy.hostRecoveryShare,
            minimumFailing: policy.hostMinimumFailing, minimumHosts: 1)
    }

    var schoolRule: GroupRule {
        GroupRule(
            share: policy.schoolShare, recoveryShare: policy.schoolRecoveryShare,
            minimumFailing: policy.schoolMinimumFailing, minimumHosts: policy.schoolMinimumHosts)
    }

    /// The prober's degradation, if its rule holds over the fleet window now.
    func proberRule(at time: Date) -> ProberDegradation? {
        guard fleet.probed >= policy.proberMinimumProbed, fleet.failingHosts >= policy.proberMinimumHosts,
            Self.share(fleet.failing, of: fleet.probed) >= policy.proberShare, let reason = fleet.commonFailure
        else { return nil }
        return ProberDegradation(
            reason: reason, failing: fleet.failing, probed: fleet.probed, hosts: fleet.failingHosts, at: time)
    }

    /// The group's failure, if its rule holds for some start of the episode;
    /// the earliest such start (the most evidence) is reported.
    func groupRule(_ group: Group?, _ rule: GroupRule) -> GroupFailure? {
        guard let group else { return nil }
        let starts = Set(group.members.compactMap { members[$0]?.failingSince }).sorted()
        for start in starts {
            let evidence = evidence(group, since: start)
            guard evidence.supporters.count >= rule.minimumFailing,
                Self.share(evidence.supporters.count, of: evidence.supporters.count + evidence.contradictions)
                    >= rule.share,
                Set(evidence.supporters.map(\.host)).count >= rule.minimumHosts,
                let reason = Self.commonFailure(evidence.supporters.compactMap(\.failure))
            else { continue }
            return GroupFailure(
                reason: reason,
                failing: evidence.supporters.count, probed: evidence.supporters.count + evidence.contradictions,
                since: start, cameras: group.members.sorted())
        }
        return nil
    }

    /// Whether a blamed group is still failing since `start`, by its recovery share.
    func holds(_ group: Group?, since start: Date, _ rule: GroupRule) -> Bool {
        guard let group else { return false }
        let evidence = evidence(group, since: start)
        let supporters = evidence.supporters.count
        return supporters >= rule.minimumFailing
            && Self.share(supporters, of: supporters + evidence.contradictions) >= rule.recoveryShare
    }

    /// The group's cameras that have failed ever since `start` (last success
    /// before it, first failure at or after it), and the number that answered
    /// at or after it.
    private func evidence(_ group: Group, since start: Date) -> (supporters: [Member], contradictions: Int) {
        var supporters: [Member] = []
        var contradictions = 0
        for id in group.members {
            guard let member = members[id] else { continue }
            if let success = member.lastSuccess, success >= start {
                contradictions += 1
            } else if let failingSince = member.failingSince, failingSince >= start {
                supporters.append(member)
            }
        }
        return (supporters, contradictions)
    }

    /// `part / whole`, nudged up by 1e-9 so that a share exactly at a threshold
    /// (3 of 4 against 0.75, 7 of 10 against 0.7, however those round) counts
    /// as reaching it; 0 for an empty whole.
    static func share(_ part: Int, of whole: Int) -> Double {
        guard whole > 0 else { return 0 }
        return Double(part) / Double(whole) + 1e-9
    }

    /// The most common code; ties go to the first in ``ReasonCode`` order.
    static func commonFailure(_ codes: [ReasonCode]) -> ReasonCode? {
        var counts: [ReasonCode: Int] = [:]
        for code in codes { counts[code, default: 0] += 1 }
        return commonKey(counts)
    }

    /// The code with the highest count; ties go to the first in ``ReasonCode`` order.
    static func commonKey(_ counts: [ReasonCode: Int]) -> ReasonCode? {
        var best: ReasonCode?
        for code in ReasonCode.allCases {
            let count = counts[code, default: 0]
            if count > 0, count > best.map({ counts[$0, default: 0] }) ?? 0 { best = code }
        }
        return best
    }
}
