import Foundation

/// The words of an alert, for people: what happened, to which camera of which
/// school (and where it hangs), and why — in Russian, Kazakh or English.
/// Reasons come with the event, already in the configured language.
public struct AlertText: Sendable {
    public let language: Language

    public init(language: Language) {
        self.language = language
    }

    /// One event: a headline line, then the details, one per line.
    public func message(_ event: CloudEvent) -> String {
        switch event.data {
        case let .camera(data): camera(data)
        case let .group(data): group(data)
        case let .snapshot(data): words(
            ru: "Сводка: \(data.cameras.count) камер", kk: "Жиынтық: \(data.cameras.count) камера",
            en: "Snapshot: \(data.cameras.count) cameras")
        case let .heartbeat(data): words(
            ru: "Пробер \(data.instance) работает: \(data.cameras) камер",
            kk: "Пробер \(data.instance) жұмыс істеп тұр: \(data.cameras) камера",
            en: "Prober \(data.instance) is alive: \(data.cameras) cameras")
        case let .schedule(data):
            data.state == .behind
                ? words(
                    ru: "⚠️ Пробер \(data.instance) не успевает по расписанию: отставание \(language.number(data.lagSeconds, decimals: 0)) с",
                    kk: "⚠️ Пробер \(data.instance) кестеден қалып барады: \(language.number(data.lagSeconds, decimals: 0)) с кешігу",
                    en: "⚠️ Prober \(data.instance) is behind schedule by \(language.number(data.lagSeconds, decimals: 0)) s")
                : words(
                    ru: "Пробер \(data.instance) снова успевает по расписанию",
                    kk: "Пробер \(data.instance) қайтадан кесте бойынша жұмыс істейді",
                    en: "Prober \(data.instance) is on schedule again")
        }
    }

    /// Many events as one message: a count, then one line per event.
    public func digest(_ events: [CloudEvent]) -> String {
        var lines = [words(
            ru: "📋 Изменений: \(events.count)", kk: "📋 Өзгерістер: \(events.count)", en: "📋 \(events.count) changes")]
        for event in events {
            lines.append("• " + (message(event).split(separator: "\n").first.map(String.init) ?? ""))
        }
        return lines.joined(separator: "\n")
    }

    private func camera(_ data: CameraEventData) -> String {
        let camera = data.camera
        let headline: String
        switch (data.kind, data.to) {
        case (.reminder, _):
            let hours = language.number((data.openFor ?? 0) / 3600, decimals: 1)
            headline = data.to == .down
                ? words(ru: "⏰ Камера всё ещё не работает (\(hours) ч)", kk: "⏰ Камера әлі жұмыс істемейді (\(hours) сағ)", en: "⏰ Camera still down (\(hours) h)")
                : words(ru: "⏰ Камера всё ещё не соответствует требованиям (\(hours) ч)", kk: "⏰ Камера әлі талаптарға сәйкес емес (\(hours) сағ)", en: "⏰ Camera still non-compliant (\(hours) h)")
        case (_, .down):
            headline = words(ru: "🔴 Камера не работает", kk: "🔴 Камера жұмыс істемейді", en: "🔴 Camera down")
        case (_, .degraded):
            headline = words(ru: "🟡 Камера не соответствует требованиям", kk: "🟡 Камера талаптарға сәйкес емес", en: "🟡 Camera non-compliant")
        case (_, .up):
            headline = words(ru: "🟢 Камера снова работает", kk: "🟢 Камера қайта жұмыс істейді", en: "🟢 Camera back up")
        case (_, .unknown):
            headline = words(ru: "Камера: состояние неизвестно", kk: "Камера: күйі белгісіз", en: "Camera: state unknown")
        }
        var lines = ["\(headline): \(camera.school) — \(camera.location ?? camera.id)"]
        lines.append(words(ru: "Камера", kk: "Камера", en: "Camera") + ": \(camera.id) (\(camera.host))")
        lines.append("\(camera.region), \(camera.district)")
        for reason in data.reasons where reason.severity != "info" {
            lines.append(words(ru: "Причина", kk: "Себебі", en: "Reason") + ": \(reason.text)")
        }
        return lines.joined(separator: "\n")
    }

    private func group(_ data: GroupEventData) -> String {
        let count = data.failing.map { failing in
            data.probed.map { " (\(failing)/\($0))" } ?? ""
        } ?? ""
        var headline: String
        switch (data.level, data.state) {
        case (.host, .down):
            headline = words(ru: "🔴 Не работает регистратор/узел \(data.name)", kk: "🔴 Тіркеуші/түйін жұмыс істемейді: \(data.name)", en: "🔴 Recorder/host down: \(data.name)") + count
        case (.host, _):
            headline = words(ru: "🟢 Регистратор/узел снова работает: \(data.name)", kk: "🟢 Тіркеуші/түйін қайта жұмыс істейді: \(data.name)", en: "🟢 Recorder/host back up: \(data.name)")
        case (.school, .down):
            headline = words(ru: "🔴 Не работают камеры школы: \(data.name)", kk: "🔴 Мектеп камералары жұмыс істемейді: \(data.name)", en: "🔴 School's cameras down: \(data.name)") + count
        case (.school, _):
            headline = words(ru: "🟢 Камеры школы снова работают: \(data.name)", kk: "🟢 Мектеп камералары қайта жұмыс істейді: \(data.name)", en: "🟢 School's cameras back up: \(data.name)")
        case (.prober, .down):
            headline = words(ru: "⚠️ Сбой сети пробера \(data.name): оповещения по камерам приостановлены", kk: "⚠️ \(data.name) пробер желісінің ақауы: камералар бойынша хабарламалар тоқтатылды", en: "⚠️ Prober \(data.name) network failure: camera alerts paused") + count
        case (.prober, _):
            headline = words(ru: "🟢 Сеть пробера \(data.name) восстановлена", kk: "🟢 \(data.name) пробер желісі қалпына келді", en: "🟢 Prober \(data.name) network recovered")
        }
        var lines = [headline]
        let place = [data.school, data.district, data.region].compactMap { $0 }
        if !place.isEmpty { lines.append(place.joined(separator: ", ")) }
        if let reason = data.reason { lines.append(words(ru: "Причина", kk: "Себебі", en: "Reason") + ": \(reason.text)") }
        if !data.cameras.isEmpty {
            let shown = data.cameras.prefix(20).joined(separator: ", ")
            lines.append(words(ru: "Камеры", kk: "Камералар", en: "Cameras") + ": \(shown)" + (data.cameras.count > 20 ? ", …" : ""))
        }
        return lines.joined(separator: "\n")
    }

    private func words(ru: String, kk: String, en: String) -> String {
        switch language {
        case .ru: ru
        case .kk: kk
        case .en: en
        }
    }
}
