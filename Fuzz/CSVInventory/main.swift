// A CSV inventory file as `ConfigLoader` reads one: the bytes go through
// `InventoryCSVReader` into an `InventoryBuilder` with the built-in profiles
// and one known secret (`school-12`), so camera and recorder rows are
// validated and recorders expanded into cameras. Files come from schools and
// akimats' spreadsheets: an odd one must be reported, never crash the loader.
//
// Invariants: every record and problem row lies within the file's lines; a
// diagnostic names a row that exists; camera ids are unique; no diagnostic
// carries the secret's password.
@testable import CamProbeConfig
import CamProbeCore

let password = "Pw-93d1c7e0"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSVInventory(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    // Rows: one per line end, plus the last line.
    let lines = bytes.filter { $0 == 10 || $0 == 13 }.count + 1
    let table = CSVTable(bytes: bytes)
    var previous = 0
    for record in table.records {
        invariant(record.row > previous && record.row <= lines, "record row \(record.row) after \(previous), \(lines) lines")
        invariant(!record.fields.isEmpty, "a record without fields")
        previous = record.row
    }
    for problem in table.problems { invariant(problem.row >= 1 && problem.row <= lines, "problem row \(problem.row)") }

    let log = DiagnosticLog()
    let profiles = ProfilesDecoder(log: log).decode(nil)
    let secrets = SecretsResolver(
        fromFile: ["school-12": Credentials(username: "admin", password: password)], fileConfigured: true, credentialsDirectory: nil, log: log)
    var builder = InventoryBuilder(profiles: profiles, secrets: secrets, log: log)
    InventoryCSVReader(log: log).read(path: "schools.csv", bytes: bytes, into: &builder)
    invariant(Set(builder.cameras.map(\.id)).count == builder.cameras.count, "duplicate camera ids")
    for diagnostic in log.diagnostics {
        invariant(!diagnostic.message.contains(password), "the password in a diagnostic")
        if case .csv(let row, _) = diagnostic.location { invariant(row >= 1 && row <= lines, "diagnostic row \(row) of \(lines)") }
    }
    return 0
}
