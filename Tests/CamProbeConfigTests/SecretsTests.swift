import CamProbeConfig
import CamProbeCore
import Foundation
import Testing

@Suite struct SecretsTests {
    private let inventory = """
        cameras:
          - id: c1
            region: R
            district: D
            school: S
            url: rtsp://10.0.0.1/Streaming/Channels/101
            credentials: school-12
          - id: c2
            region: R
            district: D
            school: S
            url: rtsp://10.0.0.2:554/user={user}&password={password}&channel=1&stream=0.sdp
            credentials: dvr-3

        """

    @Test func secretsFileReadableByOthers_isRefusedWithExactMessage() throws {
        let directory = try TemporaryDirectory()
        try directory.write("inventory.yaml", inventory)
        try directory.write("secrets.yaml", "school-12: {username: admin, password: TopSecret-1}\n", mode: 0o644)
        let config = try directory.write("camprobe.yaml", "inventory: [inventory.yaml]\nsecrets: \(directory.file("secrets.yaml"))\n")
        let (loaded, diagnostics) = ConfigLoader.forTests().load(path: config)
        #expect(loaded == nil)
        #expect(
            diagnostics.map(\.description) == [
                "\(config):2:10: secrets file \(directory.file("secrets.yaml")) is readable by group or others (mode 0644): run chmod 600 on it"
            ])
        #expect(diagnostics.first?.code == .insecureSecrets)

        try FileManager.default.setAttributes([.posixPermissions: 0o620], ofItemAtPath: directory.file("secrets.yaml"))
        let (_, groupWritable) = ConfigLoader.forTests().load(path: config)
        #expect(groupWritable.map(\.message) == [
            "secrets file \(directory.file("secrets.yaml")) is writable or executable by group or others (mode 0620): run chmod 600 on it"
        ])
    }

    @Test func credentialsDirectory_suppliesSecretsTheFileLacks() throws {
        let directory = try TemporaryDirectory()
        try directory.write("inventory.yaml", inventory)
        try directory.write("secrets.yaml", "school-12: {username: admin, password: 'from-file'}\n", mode: 0o600)
        let credentials = try TemporaryDirectory()
        try credentials.write("dvr-3", "admin:p@ss:w0rd\n", mode: 0o400)
        try credentials.write("school-12", "other:from-directory\n", mode: 0o400)
        let config = try directory.write("camprobe.yaml", "inventory: [inventory.yaml]\nsecrets: secrets.yaml\n")
        let (loaded, diagnostics) = ConfigLoader.forTests(credentialsDirectory: credentials.path).load(path: config)
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.description))")
        let secrets = try #require(loaded).secrets
        #expect(secrets.names == ["dvr-3", "school-12"])
        #expect(secrets["dvr-3"] == Credentials(username: "admin", password: "p@ss:w0rd"))
        #expect(secrets["school-12"] == Credentials(username: "admin", password: "from-file"))
        let xmeye = try #require(loaded).mainStream(for: try #require(loaded?.cameras[id: "c2"]))
        #expect(xmeye.unredacted == "rtsp://10.0.0.2:554/user=admin&password=p%40ss%3Aw0rd&channel=1&stream=0.sdp")
        #expect(xmeye.redacted == "rtsp://10.0.0.2:554/user=***&password=***&channel=1&stream=0.sdp")
    }

    @Test func credentialsDirectoryOnly_missingAndMalformed() throws {
        let directory = try TemporaryDirectory()
        try directory.write("inventory.yaml", inventory)
        let credentials = try TemporaryDirectory()
        try credentials.write("dvr-3", "no colon here TopSecret-2\n", mode: 0o400)
        let config = try directory.write("camprobe.yaml", "inventory: [inventory.yaml]\n")
        let (loaded, diagnostics) = ConfigLoader.forTests(credentialsDirectory: credentials.path).load(path: config)
        #expect(loaded == nil)
        #expect(
            lines(diagnostics, relativeTo: directory.path, credentials.path) == [
                "inventory.yaml:7:18: credentials 'school-12' are not in $CREDENTIALS_DIRECTORY (and no secrets file is configured)",
                "inventory.yaml:13:18: credentials 'dvr-3' are not in $CREDENTIALS_DIRECTORY (and no secrets file is configured)",
                "dvr-3: credential 'dvr-3' must hold one line username:password",
            ])
        #expect(!diagnostics.contains { $0.description.contains("TopSecret") })
    }

    @Test func noSecretsAnywhere_namesTheMissingCredentials() throws {
        let directory = try TemporaryDirectory()
        try directory.write("inventory.yaml", inventory)
        let config = try directory.write("camprobe.yaml", "inventory: [inventory.yaml]\n")
        let (_, diagnostics) = ConfigLoader.forTests().load(path: config)
        #expect(
            lines(diagnostics, relativeTo: directory.path) == [
                "inventory.yaml:7:18: credentials 'school-12' are named but no secrets file is configured",
                "inventory.yaml:13:18: credentials 'dvr-3' are named but no secrets file is configured",
            ])
    }

    /// Whatever is wrong with the secrets file, no message, description or dump shows a value.
    @Test func secretValues_neverAppearInDiagnosticsOrDescriptions() throws {
        let directory = try TemporaryDirectory()
        try directory.write("inventory.yaml", inventory)
        try directory.write(
            "secrets.yaml",
            """
            school-12:
              username: TopSecret-user
              password: TopSecret-3
              TopSecret-4: x
            dvr-3: TopSecret-5
            broken:
              username: [TopSecret-6]
              password: {TopSecret-7: 1}
            """, mode: 0o600)
        let config = try directory.write("camprobe.yaml", "inventory: [inventory.yaml]\nsecrets: secrets.yaml\n")
        let (_, diagnostics) = ConfigLoader.forTests().load(path: config)
        #expect(
            lines(diagnostics, relativeTo: directory.path) == [
                "secrets.yaml:4:3: unknown key in secret 'school-12' (allowed: username, password)",
                "secrets.yaml:5:8: secret 'dvr-3': expected a mapping of keys to values, found a single value",
                "secrets.yaml:7:13: username: expected a single value, found a list",
                "secrets.yaml:8:13: password: expected a single value, found a mapping",
                "inventory.yaml:13:18: credentials 'dvr-3' are not in the secrets file",
            ])
        #expect(!diagnostics.contains { "\($0) \(String(reflecting: $0))".contains("TopSecret") })

        try directory.write("secrets.yaml", "school-12: {username: TopSecret-user, password: TopSecret-3}\ndvr-3: {username: a, password: TopSecret-8}\n", mode: 0o600)
        let (loaded, clean) = ConfigLoader.forTests().load(path: config)
        #expect(clean.isEmpty)
        let store = try #require(loaded).secrets
        var dumped = ""
        dump(store, to: &dumped)
        dump(try #require(loaded), to: &dumped)
        #expect(!"\(store) \(String(reflecting: store)) \(dumped)".contains("TopSecret"))
        #expect("\(store)" == "SecretsStore(dvr-3, school-12)")
    }

    @Test func secretsSyntaxError_doesNotQuoteTheLine() throws {
        let directory = try TemporaryDirectory()
        try directory.write("inventory.yaml", inventory)
        try directory.write("secrets.yaml", "school-12:\n  username: admin\n  password: \"TopSecret-9\n", mode: 0o600)
        let config = try directory.write("camprobe.yaml", "inventory: [inventory.yaml]\nsecrets: secrets.yaml\n")
        let (_, diagnostics) = ConfigLoader.forTests().load(path: config)
        #expect(
            lines(diagnostics, relativeTo: directory.path) == [
                "secrets.yaml:4:1: YAML syntax: found unexpected end of stream (while scanning a quoted scalar at line 3, column 13)"
            ])
    }
}
