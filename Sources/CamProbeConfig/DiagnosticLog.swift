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
}
