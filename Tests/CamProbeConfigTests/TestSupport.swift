import CamProbeConfig
import CamProbeCore
import Foundation

/// Where the test data and the repository's sample config are.
enum TestFiles {
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let testdata = testsDirectory.appendingPathComponent("testdata")
    static let repository = testsDirectory.deletingLastPathComponent().deletingLastPathComponent()
    static let sampleConfig = repository.appendingPathComponent("config")

    static func testdata(_ relative: String) -> String {
        testdata.appendingPathComponent(relative).path
    }
}

/// A fresh directory under the system's temp dir, removed when released.
final class TemporaryDirectory {
    let path: String

    init() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("camprobe-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        path = url.path
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    func file(_ name: String) -> String { path + "/" + name }

    @discardableResult
    func write(_ name: String, _ text: String, mode: Int = 0o644) throws -> String {
        try write(name, Data(text.utf8), mode: mode)
    }

    @discardableResult
    func write(_ name: String, _ data: Data, mode: Int = 0o644) throws -> String {
        let target = file(name)
        try data.write(to: URL(fileURLWithPath: target))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: target)
        return target
    }

    @discardableResult
    func copy(_ source: String, to name: String, mode: Int = 0o644) throws -> String {
        try write(name, try Data(contentsOf: URL(fileURLWithPath: source)), mode: mode)
    }

    /// Copies every file of `directory` here.
    func copyContents(of directory: URL) throws {
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
            try copy(directory.appendingPathComponent(name).path, to: name)
        }
    }
}

extension ConfigLoader {
    /// No environment: a fixed host name, credentials directory only when given.
    static func forTests(credentialsDirectory: String? = nil) -> ConfigLoader {
        ConfigLoader(credentialsDirectory: credentialsDirectory, hostName: "test-host")
    }
}

/// Diagnostics as printed, with the temp and testdata directories cut from paths.
func lines(_ diagnostics: [Diagnostic], relativeTo directories: String...) -> [String] {
    diagnostics.map { diagnostic in
        var line = diagnostic.description
        for directory in directories + [TestFiles.testdata.path] {
            line = line.replacingOccurrences(of: directory + "/", with: "")
        }
        return line
    }
}

extension Array where Element == Camera {
    subscript(id id: String) -> Camera? { first { $0.id == id } }
}
