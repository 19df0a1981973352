/// Collects every problem of one load: loading goes on after a problem so the
/// operator sees all of them at once. One log per load, used by one thread.
final class DiagnosticLog {
    private(set) var diagnostics: [Diagnostic] = []

    var isEmpty: Bool { diagnostics.isEmpty }
    var count: Int { diagnostics.count }

    func add(_ diagnostic: Diagnostic) {
        diagnostics.append(diagnostic)
    }

    func add(_ path: String, _ location: Diagnostic.Location, _ code: Diagnostic.Code, _ message: String) {
        diagnostics.append(Diagnostic(path: path, location: location, code: code, message: message))
    }

    /// Files in the order they were first reported on; within a file, by position
    /// (problems about the whole file first), as an operator reads it top down.
    var sorted: [Diagnostic] {
        var fileOrder: [String: Int] = [:]
        for diagnostic in diagnostics where fileOrder[diagnostic.path] == nil {
            fileOrder[diagnostic.path] = fileOrder.count
        }
        func key(_ location: Diagnostic.Location) -> (Int, Int) {
            switch location {
            case .file: (0, 0)
            case let .yaml(line, column): (line, column)
            case let .csv(row, _): (row, 0)
            }
        }
        return diagnostics.enumerated().sorted { a, b in
            let (fileA, fileB) = (fileOrder[a.element.path]!, fileOrder[b.element.path]!)
            if fileA != fileB { return fileA < fileB }
            let (keyA, keyB) = (key(a.element.location), key(b.element.location))
            if keyA != keyB { return keyA < keyB }
            return a.offset < b.offset
        }.map(\.element)
    }
}
