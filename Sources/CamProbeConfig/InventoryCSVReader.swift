/// A CSV inventory, as schools and akimats keep it in a spreadsheet.
///
/// The header names the columns: the YAML keys (`id`, `region`, `district`,
/// `school`, `school_bin`, `location`, `kind`, `url`, `sub_url`, `credentials`,
/// `profile`, `host`, `port`, `vendor`, `channels`, `locations`, `template`,
/// `sub_template`), in any order and case, or a few Russian and Kazakh
/// equivalents (`регион`, `район`, `школа`, `бин`…). A row with `url` is a
/// camera; a row with `vendor`, `host` and `channels` is a recorder, its
/// `locations` written `1=Главный вход|2=Коридор`. An empty cell is an absent
/// value. Overrides are YAML only.
struct InventoryCSVReader {
    /// Camera columns, then the recorders' own.
    static let columns = (InventoryKeys.camera + InventoryKeys.recorder.filter { !InventoryKeys.camera.contains($0) })
        .filter { $0 != "overrides" && $0 != "archive" }
    static let required = ["id", "region", "district", "school"]
    static let recorderMarkers = ["vendor", "host", "channels"]

    /// Header names spreadsheets in Kazakhstan use, lowercased.
    static let aliases: [String: String] = [
        "регион": "region", "область": "region", "облыс": "region",
        "район": "district", "аудан": "district",
        "школа": "school", "организация": "school", "мектеп": "school", "ұйым": "school",
        "бин": "school_bin", "бсн": "school_bin",
        "камера": "id",
        "место": "location", "расположение": "location", "орны": "location",
    ]

    let log: DiagnosticLog

    func read(path: String, bytes: [UInt8], into builder: inout InventoryBuilder) {
        let table = CSVTable(bytes: bytes)
        guard let header = table.records.first, header.row == 1 else {
            if let first = table.problems.first {
                log.add(path, .csv(row: first.row, column: nil), .unreadable, first.message)
            } else {
                log.add(path, .file, .missingKey, "the file is empty (it needs a header row)")
            }
            return
        }
        var columns: [String: Int] = [:]
        var headerNames: [String: String] = [:]
        var names: [String] = []
        /// Columns without a name: spreadsheets export a few empty ones at the end.
        var unnamed: [Int] = []
        for (index, raw) in header.fields.enumerated() {
            let name = raw.trimmed
            let key = Self.aliases[name.lowercased()] ?? name.lowercased()
            names.append(name)
            if name.isEmpty {
                unnamed.append(index)
                continue
            }
            guard Self.columns.contains(key) else {
                log.add(path, .csv(row: 1, column: name), .unknownKey, "unknown column '\(name)' (allowed: \(Self.columns.joined(separator: ", ")))")
                continue
            }
            if columns[key] != nil {
                log.add(path, .csv(row: 1, column: name), .duplicateKey, "column \(key) appears twice")
                continue
            }
            columns[key] = index
            headerNames[key] = name
        }
        let missing = Self.required.filter { columns[$0] == nil }
        if !missing.isEmpty {
            log.add(path, .csv(row: 1, column: nil), .missingKey, "missing column\(missing.count > 1 ? "s" : "") \(missing.joined(separator: ", "))")
            return
        }
        for problem in table.problems {
            let column = problem.field.map { $0 < names.count ? names[$0] : "\($0 + 1)" }
            log.add(path, .csv(row: problem.row, column: column), .unreadable, problem.message)
        }
        for record in table.records.dropFirst() where !record.isBroken {
            // More fields than the header: a field split by an unquoted separator, so
            // the columns after it are shifted. (Fewer fields: trailing empty cells.)
            guard record.fields.count <= names.count else {
                log.add(
                    path, .csv(row: record.row, column: nil), .invalidValue,
                    "the row has \(record.fields.count) fields, the header \(names.count) (a field with a separator in it must be quoted)")
                continue
            }
            if let index = unnamed.first(where: { $0 < record.fields.count && !record.fields[$0].trimmed.isEmpty }) {
                log.add(path, .csv(row: record.row, column: nil), .invalidValue, "a value in column \(index + 1), which has no name in the header")
                continue
            }
            let entry = CSVEntry(path: path, record: record, columns: columns, headerNames: headerNames, log: log)
            read(entry, into: &builder)
        }
    }

    private func read(_ entry: CSVEntry, into builder: inout InventoryBuilder) {
        let isCamera = entry.has("url")
        let isRecorder = Self.recorderMarkers.contains(where: entry.has)
        if isCamera, isRecorder {
            entry.report(nil, .invalidValue, "the row has both url (a camera) and vendor/host/channels (a recorder)")
            return
        }
        if !isCamera, !isRecorder {
            entry.report(nil, .missingKey, "the row is neither a camera (it needs url) nor a recorder (it needs vendor, host and channels)")
            return
        }
        let allowed = isCamera ? InventoryKeys.camera : InventoryKeys.recorder
        var foreign = false
        for (key, _) in entry.columns.sorted(by: { $0.value < $1.value }) where !allowed.contains(key) && entry.has(key) {
            entry.report(key, .unknownKey, isCamera ? "\(key) is for recorders; this row is a camera (it has url)" : "\(key) is for cameras; this row is a recorder")
            foreign = true
        }
        if foreign { return }
        if isCamera { builder.addCamera(entry) } else { builder.addRecorder(entry) }
    }
}
