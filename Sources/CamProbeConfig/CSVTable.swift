/// A CSV file as spreadsheets export it, parsed as bytes (a region's 20,000
/// rows in milliseconds; `Character`-by-`Character` parsing is an order of
/// magnitude slower).
///
/// - UTF-8, with or without a byte-order mark;
/// - comma or semicolon separated (Excel in a Russian locale writes `;`): the
///   one that occurs more often outside quotes in the header line;
/// - RFC 4180 quoting: a quoted field may hold separators, line breaks and
///   doubled quotes (`""` for `"`); line ends are LF or CRLF.
///
/// Records are numbered from 1 (the header) like a spreadsheet's rows: a
/// quoted field spanning lines does not shift the numbers of the records after
/// it, a blank line counts as a (skipped) row.
struct CSVTable {
    struct Record {
        /// 1 for the header.
        let row: Int
        var fields: [String]
        /// A field could not be read (not UTF-8, unclosed quote): already reported.
        var isBroken = false
    }

    struct Problem {
        let row: Int
        /// Index of the field, when the problem is in one.
        let field: Int?
        let message: String
    }

    private(set) var separator = UInt8(ascii: ",")
    /// Every non-blank record, header first.
    private(set) var records: [Record] = []
    private(set) var problems: [Problem] = []

    private static let quote = UInt8(ascii: "\"")
    private static let lineFeed = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")

    init(bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { buffer in
            var start = 0
            if buffer.count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { start = 3 }
            separator = Self.detectSeparator(buffer, from: start)
            parse(buffer, from: start)
        }
    }

    /// `;` when the header line has more semicolons than commas outside quotes.
    private static func detectSeparator(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> UInt8 {
        var commas = 0
        var semicolons = 0
        var quoted = false
        var i = start
        while i < bytes.count {
            let byte = bytes[i]
            if byte == quote {
                quoted.toggle()
            } else if !quoted {
                if byte == lineFeed || byte == carriageReturn { break }
                if byte == UInt8(ascii: ",") { commas += 1 }
                if byte == UInt8(ascii: ";") { semicolons += 1 }
            }
            i += 1
        }
        return semicolons > commas ? UInt8(ascii: ";") : UInt8(ascii: ",")
    }

    private mutating func parse(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) {
        let separator = self.separator
        let count = bytes.count
        var i = start
        var row = 0
        while i < count {
            row += 1
            var record = Record(row: row, fields: [])
            var fieldIndex = 0
            recordLoop: while true {
                // One field, from i.
                var text: String?
                if i < count, bytes[i] == Self.quote {
                    i += 1
                    var content: [UInt8] = []
                    var segmentStart = i
                    var closed = false
                    while i < count {
                        if bytes[i] == Self.quote {
                            if i + 1 < count, bytes[i + 1] == Self.quote {
                                content.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[segmentStart...i]))
                                i += 2
                                segmentStart = i
                                continue
                            }
                            closed = true
                            break
                        }
                        i += 1
                    }
                    if !closed {
                        problems.append(Problem(row: row, field: fieldIndex, message: "a quoted field is not closed (a \" is missing)"))
                        record.isBroken = true
                        record.fields.append("")
                        i = count
                        break recordLoop
                    }
                    if content.isEmpty {
                        text = String(validating: UnsafeBufferPointer(rebasing: bytes[segmentStart..<i]), as: UTF8.self)
                    } else {
                        content.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[segmentStart..<i]))
                        text = String(validating: content, as: UTF8.self)
                    }
                    i += 1  // the closing quote
                    // Anything up to the separator after a closing quote is malformed.
                    if i < count, bytes[i] != separator, bytes[i] != Self.lineFeed, bytes[i] != Self.carriageReturn {
                        problems.append(Problem(row: row, field: fieldIndex, message: "text after the closing quote of a quoted field"))
                        record.isBroken = true
                        while i < count, bytes[i] != separator, bytes[i] != Self.lineFeed, bytes[i] != Self.carriageReturn { i += 1 }
                    }
                } else {
                    let fieldStart = i
                    while i < count {
                        let byte = bytes[i]
                        if byte == separator || byte == Self.lineFeed || byte == Self.carriageReturn { break }
                        i += 1
                    }
                    text = fieldStart == i ? "" : String(validating: UnsafeBufferPointer(rebasing: bytes[fieldStart..<i]), as: UTF8.self)
                }
                if let text {
                    record.fields.append(text)
                } else {
                    problems.append(Problem(row: row, field: fieldIndex, message: "not UTF-8 text (save the file as CSV UTF-8)"))
                    record.isBroken = true
                    record.fields.append("")
                }
                fieldIndex += 1
                // After a field: a separator (another field), a line end or the end.
                if i < count, bytes[i] == separator {
                    i += 1
                    continue
                }
                if i < count, bytes[i] == Self.carriageReturn { i += 1 }
                if i < count, bytes[i] == Self.lineFeed { i += 1 }
                break
            }
            if record.fields.count == 1, record.fields[0].isEmpty, !record.isBroken { continue }  // blank line
            records.append(record)
        }
    }
}
