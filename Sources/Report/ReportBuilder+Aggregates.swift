import CamProbeCore
import Foundation
import Store

/// The figures of a report, from its camera rows: values in, values out.
extension ReportBuilder {
    /// Cameras grouped into schools (region, district, school name), sorted.
    static func schools(_ rows: [(CameraStatus, InspectionReport.CameraRow, Availability)]) -> [InspectionReport.School] {
        var groups: [[String]: [(CameraStatus, InspectionReport.CameraRow, Availability)]] = [:]
        for row in rows { groups[[row.0.region, row.0.district, row.0.school], default: []].append(row) }
        return groups.keys.sorted { $0.lexicographicallyPrecedes($1) }.map { key in
            let members = groups[key]!.sorted { $0.1.id < $1.1.id }
            let first = members[0].0
            let availability = Availability.aggregate(members.map(\.2), from: members[0].2.from, to: members[0].2.to)
            return InspectionReport.School(
                region: first.region, district: first.district, name: first.school, bin: first.schoolBin,
                compliance: Compliance(school: members.map(\.1.state)), availabilityPercent: availability.percent,
                cameras: members.map(\.1))
        }
    }

    static func tally(_ schools: some Sequence<InspectionReport.School>) -> InspectionReport.Tally {
        var tally = InspectionReport.Tally()
        for school in schools {
            tally.schools.add(school.compliance)
            for camera in school.cameras { tally.cameras.add(camera.compliance) }
        }
        return tally
    }

    /// Regions with their districts, names sorted.
    static func regions(_ schools: [InspectionReport.School], rows: [Computed]) -> [InspectionReport.Area] {
        var availability: [[String]: [Availability]] = [:]
        for row in rows {
            availability[[row.camera.status.region], default: []].append(row.availability)
            availability[[row.camera.status.region, row.camera.status.district], default: []].append(row.availability)
        }
        func percent(_ key: [String]) -> Double? {
            guard let parts = availability[key], let first = parts.first else { return nil }
            return Availability.aggregate(parts, from: first.from, to: first.to).percent
        }
        let byRegion = Dictionary(grouping: schools, by: \.region)
        return byRegion.keys.sorted().map { region in
            let regionSchools = byRegion[region]!
            let byDistrict = Dictionary(grouping: regionSchools, by: \.district)
            let districts = byDistrict.keys.sorted().map { district in
                InspectionReport.Area(
                    name: district, tally: tally(byDistrict[district]!), availabilityPercent: percent([region, district]),
                    districts: [])
            }
            return InspectionReport.Area(
                name: region, tally: tally(regionSchools), availabilityPercent: percent([region]), districts: districts)
        }
    }

    /// The reasons of the cameras that are not compliant, counted once per
    /// camera and code, most frequent first (then by code).
    static func reasons(_ schools: [InspectionReport.School], language: Language) -> [InspectionReport.ReasonCount] {
        var counts: [String: (severity: String, cameras: Int)] = [:]
        for camera in schools.flatMap(\.cameras) where camera.compliance == .nonCompliant || camera.compliance == .notWorking {
            for code in Set(camera.reasons.map(\.code)) {
                let severity = camera.reasons.first { $0.code == code }?.severity ?? ""
                counts[code, default: (severity, 0)].cameras += 1
            }
        }
        return counts.map { code, value in
            InspectionReport.ReasonCount(
                code: code, text: ReportText.reason(code, language), severity: value.severity, cameras: value.cameras)
        }.sorted { ($1.cameras, $0.code) < ($0.cameras, $1.code) }
    }

    /// Camera-time availability per calendar day of the period (at most 62 days;
    /// a longer period gets none: its chart would be unreadable anyway).
    static func days(_ timelines: [[StateTransition]], ids: [String], query: ReportQuery, now: Date) -> [InspectionReport.DayAvailability] {
        let calendar = ReportQuery.calendar
        var starts: [Date] = []
        var day = calendar.startOfDay(for: query.from)
        while day < query.to, day <= now, starts.count < 62 {
            starts.append(max(day, query.from))
            guard let next = calendar.date(byAdding: .day, value: 1, to: day) else { break }
            day = next
        }
        guard let last = starts.last else { return [] }
        let bounds = starts + [min(query.to, calendar.date(byAdding: .day, value: 1, to: calendar.startOfDay(for: last)) ?? query.to)]
        var sums = zip(bounds, bounds.dropFirst()).map { Availability(from: $0, to: $1) }
        for (id, transitions) in zip(ids, timelines) {
            for (index, part) in Availability.consecutive(camera: id, transitions: transitions, bounds: bounds, now: now).enumerated() {
                sums[index].add(part)
            }
        }
        return sums.map { .init(day: $0.from, percent: $0.percent) }
    }
}
