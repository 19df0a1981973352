extension ReasonText {
    /// `archive.*`: the recorder's archive of this camera.
    var archive: String {
        switch reason.code {
        case .archiveTooShort:
            let days = number("days", decimals: 1), limit = number("limit", decimals: 0)
            return pick("Архив записей хранится \(days) сут. (требуется не менее \(limit) сут.)",
                        "Жазбалар мұрағаты \(days) тәулік сақталады (кемінде \(limit) тәулік қажет)",
                        "The recorder keeps \(days) days of recordings (at least \(limit) required)")
        case .archiveGaps:
            let count = reason.parameters["gaps"].flatMap { Int($0) } ?? 0
            let longest = double("longest_gap").map(duration) ?? "?"
            let from = text("from"), to = text("to")
            return pick("В архиве \(count) \(Self.russianPlural(count, "пропуск", "пропуска", "пропусков")) записи, самый длинный \(longest) (\(from) – \(to))",
                        "Мұрағатта \(count) жазба үзілісі бар, ең ұзағы \(longest) (\(from) – \(to))",
                        "The archive has \(count) \(count == 1 ? "hole" : "holes"), longest \(longest) (\(from) – \(to))")
        case .archiveClock:
            let offset = double("offset"), limit = double("limit").map(duration) ?? "?"
            let size = offset.map { duration(abs($0)) } ?? "?", fast = (offset ?? 0) >= 0
            return pick("Часы видеорегистратора \(fast ? "спешат" : "отстают") на \(size) (допустимо не более \(limit)): время в архиве неверное",
                        "Тіркегіш сағаты \(size) \(fast ? "алға кеткен" : "артта қалған") (ең көбі \(limit) рұқсат етіледі): мұрағаттағы уақыт қате",
                        "The recorder's clock is \(size) \(fast ? "fast" : "slow") (at most \(limit) allowed): archive times are wrong")
        case .archiveUnmeasured:
            return pick("Архив не проверен: \(text("message"))",
                        "Мұрағат тексерілмеді: \(text("message"))",
                        "Archive not measured: \(text("message"))")
        default:
            return reason.code.rawValue
        }
    }
}
