/// The languages reasons and states are written in: the operations centres work in
/// Russian and Kazakh; English is for engineers and logs.
public enum Language: String, Sendable, Codable, CaseIterable {
    case ru
    case kk
    case en

    /// Decimal separator: a comma in Russian and Kazakh (12,5), a point in English.
    var decimalSeparator: String {
        switch self {
        case .ru, .kk: ","
        case .en: "."
        }
    }

    /// `value` with at most `decimals` decimals, trailing zeros dropped:
    /// `12.5` → `"12,5"` in Russian, `25.0` → `"25"`. Locale-independent.
    func number(_ value: Double, decimals: Int = 2) -> String {
        Self.format(value, decimals: decimals, separator: decimalSeparator)
    }

    /// Locale-free formatting shared by ``number(_:decimals:)`` and the language-neutral
    /// `measured`/`expected` displays.
    static func format(_ value: Double, decimals: Int, separator: String = ".") -> String {
        guard value.isFinite else { return "?" }
        var scale: Int64 = 1
        for _ in 0..<max(0, decimals) { scale *= 10 }
        let magnitude = (abs(value) * Double(scale)).rounded()
        guard magnitude < 9e15 else { return "\(value)" }
        let scaled = Int64(magnitude)
        let whole = scaled / scale
        var fraction = String(scaled % scale)
        if decimals > 0 {
            fraction = String(repeating: "0", count: decimals - fraction.count) + fraction
            while fraction.hasSuffix("0") { fraction.removeLast() }
        } else {
            fraction = ""
        }
        let sign = value < 0 && scaled != 0 ? "-" : ""
        return sign + String(whole) + (fraction.isEmpty ? "" : separator + fraction)
    }
}
