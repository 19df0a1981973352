/// Kazakhstan's business identification number (БИН / БСН): 12 digits, the
/// last a check digit (weights 1…11 mod 11; if that gives 10, weights
/// 3…11, 1, 2; a number whose second sum also gives 10 is never issued).
enum SchoolBIN {
    /// Why `text` is not a BIN, or nil when it is one.
    static func problem(_ text: String) -> String? {
        let digits = text.utf8.map { Int($0) - Int(UInt8(ascii: "0")) }
        guard digits.allSatisfy((0...9).contains) else {
            return "school_bin must be 12 digits (got '\(text)')"
        }
        guard digits.count == 12 else {
            let hint = digits.count == 11 ? ": a spreadsheet may have dropped a leading zero" : ""
            return "school_bin must be 12 digits (got \(digits.count)\(hint))"
        }
        guard let check = checkDigit(digits) else {
            return "school_bin \(text) is not a valid BIN (no check digit fits its first 11 digits)"
        }
        guard check == digits[11] else {
            return "school_bin \(text) is not a valid BIN (its check digit should be \(check): a typo?)"
        }
        return nil
    }

    static func checkDigit(_ digits: [Int]) -> Int? {
        var first = 0
        var second = 0
        for index in 0..<11 {
            first += digits[index] * (index + 1)
            second += digits[index] * ((index + 2) % 11 + 1)
        }
        if first % 11 != 10 { return first % 11 }
        return second % 11 == 10 ? nil : second % 11
    }
}
