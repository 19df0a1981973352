import CamProbeConfig
import Foundation
import Testing

/// One testdata file per invalid configuration, each with the exact lines
/// `camprobe check-config` prints for it (paths relative to testdata/).
///
/// The file's name says its role: `config-*` is loaded as the config itself;
/// `inventory-*` is loaded after `valid/inventory-plain.yaml` (so duplicate ids
/// across files show), with `valid/profiles.yaml` and `valid/secrets.yaml`;
/// `profiles-*` is the profiles file; `secrets-*` is copied as the secrets file
/// (mode 0600, or 0644 for `secrets-mode-0644.yaml`) beside `valid/inventory.yaml`.
@Suite struct InvalidConfigTests {
    static let cases: [(file: String, expected: [String])] = [
        (
            "config-duplicate-key.yaml",
            [
                "invalid/config-duplicate-key.yaml:2:1: key 'language' is written more than once in this mapping",
            ]
        ),
        (
            "config-missing-files.yaml",
            [
                "invalid/config-missing-files.yaml:3:5: inventory file invalid/no-such-inventory.csv does not exist",
                "invalid/config-missing-files.yaml:4:11: profiles file invalid/no-such-profiles.yaml does not exist",
                "invalid/config-missing-files.yaml:5:10: secrets file /nonexistent/camprobe/secrets.yaml does not exist",
            ]
        ),
        (
            "config-syntax.yaml",
            [
                "invalid/config-syntax.yaml:4:2: YAML syntax: did not find expected key (while parsing a block mapping at line 1, column 1)",
            ]
        ),
        (
            "config-unknown-key.yaml",
            [
                "invalid/config-unknown-key.yaml:1:1: missing key 'inventory' in the config (a list of inventory files)",
                "invalid/config-unknown-key.yaml:2:1: unknown key 'inventroy' in the config (allowed: instance, language, inventory, secrets, profiles, probe, daemon, events, queue, webhooks, snapshots)",
                "invalid/config-unknown-key.yaml:5:3: unknown key 'windw' in probe (allowed: window, timeout, transport, rtsp_client, concurrency)",
            ]
        ),
        (
            "config-wrong-types.yaml",
            [
                "invalid/config-wrong-types.yaml:1:11: instance: expected a single value, found a list",
                "invalid/config-wrong-types.yaml:2:11: language must be one of ru, kk, en (got 'de')",
                "invalid/config-wrong-types.yaml:5:5: inventory file 'cameras.xlsx' must end in .yaml, .yml or .csv",
                "invalid/config-wrong-types.yaml:6:5: inventory: expected a file name, found a mapping",
                "invalid/config-wrong-types.yaml:7:11: profiles file invalid/missing-profiles.yaml does not exist",
                "invalid/config-wrong-types.yaml:9:11: window: expected a number, found 'fast'",
                "invalid/config-wrong-types.yaml:10:12: timeout must be more than 0 and at most 120 seconds (got 500)",
                "invalid/config-wrong-types.yaml:11:14: transport must be one of auto, tcp, udp (got 'quic')",
                "invalid/config-wrong-types.yaml:12:16: concurrency must be from 1 to 256 (got 0)",
                "invalid/config-wrong-types.yaml:13:16: rtsp_client must be one of native, ffmpeg (got 'curl')",
            ]
        ),
        (
            "inventory-bad-bin.yaml",
            [
                "invalid/inventory-bad-bin.yaml:6:17: school_bin must be 12 digits (got 11: a spreadsheet may have dropped a leading zero)",
                "invalid/inventory-bad-bin.yaml:12:17: school_bin must be 12 digits (got '0102-4005-3059')",
                "invalid/inventory-bad-bin.yaml:18:17: school_bin 010240053058 is not a valid BIN (its check digit should be 9: a typo?)",
            ]
        ),
        (
            "inventory-bad-archive.yaml",
            [
                "invalid/inventory-bad-archive.yaml:10:15: method must be one of auto, onvif, rtsp, off (got 'ftp')",
                "invalid/inventory-bad-archive.yaml:11:17: archive interval must be from 60 to 2678400 seconds (got 10)",
                "invalid/inventory-bad-archive.yaml:12:15: archive window must be HH:MM-HH:MM, like 01:00-05:00 (got '1am-5am')",
                "invalid/inventory-bad-archive.yaml:13:19: onvif_port must be from 1 to 65535 (got 0)",
                "invalid/inventory-bad-archive.yaml:14:7: unknown key 'depth' in archive (allowed: method, playback, playback_template, interval, window, onvif_port)",
                "invalid/inventory-bad-archive.yaml:22:25: archive playback custom needs a 'playback_template' (placeholders {host} {port} {channel} {start} {end})",
                "invalid/inventory-bad-archive.yaml:30:34: playback_template is only for playback custom (dahua has its own playback URL)",
                "invalid/inventory-bad-archive.yaml:39:34: playback_template must contain {start}",
                "invalid/inventory-bad-archive.yaml:47:14: archive: expected a mapping of keys to values, found a single value",
            ]
        ),
        (
            "inventory-bad-recorders.yaml",
            [
                "invalid/inventory-bad-recorders.yaml:7:13: vendor must be one of hikvision, dahua, uniview, xmeye, custom (got 'hickvision')",
                "invalid/inventory-bad-recorders.yaml:8:15: channels must be from 1 to 256 (got 0)",
                "invalid/inventory-bad-recorders.yaml:9:11: kind must be one of digital, analog (got 'ip')",
                "invalid/inventory-bad-recorders.yaml:14:11: host must not include the port: write it in 'port'",
                "invalid/inventory-bad-recorders.yaml:16:15: channels must be from 1 to 256 (got 300)",
                "invalid/inventory-bad-recorders.yaml:22:13: vendor custom needs a 'template' (placeholders {host} {port} {channel} {user} {password})",
                "invalid/inventory-bad-recorders.yaml:31:15: template is only for vendor custom (vendor hikvision has its own URLs)",
                "invalid/inventory-bad-recorders.yaml:39:15: template must contain {channel}: every channel would get the same URL",
                "invalid/inventory-bad-recorders.yaml:40:19: sub_template: unknown placeholder {stream} (allowed: {host} {port} {channel} {user} {password})",
                "invalid/inventory-bad-recorders.yaml:48:11: port must be from 1 to 65535 (got 70000)",
                "invalid/inventory-bad-recorders.yaml:51:7: locations: channel 9 is beyond the recorder's 8 channels",
                "invalid/inventory-bad-recorders.yaml:52:7: locations: 'two' is not a channel number",
                "invalid/inventory-bad-recorders.yaml:53:5: recorder 'r7': vendor xmeye puts the credentials in the URL, so it needs 'credentials'",
                "invalid/inventory-bad-recorders.yaml:64:11: host must be a host name or address only (no scheme, path or credentials)",
                "invalid/inventory-bad-recorders.yaml:66:15: channels: expected a whole number, found 'sixteen'",
            ]
        ),
        (
            "inventory-bad-urls.yaml",
            [
                "invalid/inventory-bad-urls.yaml:6:10: url is not a stream URL: unsupported scheme (expected rtsp, rtsps, http, https or file)",
                "invalid/inventory-bad-urls.yaml:11:10: url is not a stream URL: port is not a number from 1 to 65535",
                "invalid/inventory-bad-urls.yaml:16:10: url holds credentials (rtsp://***@10.0.0.3/Streaming/Channels/101): credentials belong in the secrets file, named by 'credentials'",
                "invalid/inventory-bad-urls.yaml:21:10: url holds credentials (rtsp://10.0.0.4:554/user=***&password=***&channel=1&stream=0.sdp): credentials belong in the secrets file, named by 'credentials'",
                "invalid/inventory-bad-urls.yaml:26:10: url is not a stream URL: unknown placeholder {channel} (a URL may hold {user} and {password})",
                "invalid/inventory-bad-urls.yaml:31:10: url has {user}/{password} placeholders but no 'credentials' names the secret to put there",
                "invalid/inventory-bad-urls.yaml:37:14: sub_url is not a stream URL: rtsp URL has no host",
            ]
        ),
        (
            "inventory-broken-rows.csv",
            [
                "invalid/inventory-broken-rows.csv:row 1, column notes_x: unknown column 'notes_x' (allowed: id, region, district, school, school_bin, location, kind, url, sub_url, credentials, profile, host, port, vendor, channels, locations, template, sub_template)",
                "invalid/inventory-broken-rows.csv:row 3, column id: missing value",
                "invalid/inventory-broken-rows.csv:row 4: the row has both url (a camera) and vendor/host/channels (a recorder)",
                "invalid/inventory-broken-rows.csv:row 5: the row is neither a camera (it needs url) nor a recorder (it needs vendor, host and channels)",
                "invalid/inventory-broken-rows.csv:row 6: the row has 11 fields, the header 10 (a field with a separator in it must be quoted)",
                "invalid/inventory-broken-rows.csv:row 7, column id: id 'multi\\nline' must not contain spaces or line breaks",
                "invalid/inventory-broken-rows.csv:row 8, column kind: kind must be one of digital, analog (got 'цифровая')",
                "invalid/inventory-broken-rows.csv:row 9, column channels: expected a whole number, found 'many'",
                "invalid/inventory-broken-rows.csv:row 10, column id: duplicate camera id 'ok-1' (first defined at invalid/inventory-broken-rows.csv:row 2)",
                "invalid/inventory-broken-rows.csv:row 11, column id: duplicate camera id 'plain-cam02' (first defined at valid/inventory-plain.yaml:8:9)",
                "invalid/inventory-broken-rows.csv:row 12, column school: text after the closing quote of a quoted field",
                "invalid/inventory-broken-rows.csv:row 13, column school: a quoted field is not closed (a \" is missing)",
            ]
        ),
        (
            "inventory-duplicate-ids.yaml",
            [
                "invalid/inventory-duplicate-ids.yaml:2:9: duplicate camera id 'plain-cam01' (first defined at valid/inventory-plain.yaml:3:9)",
                "invalid/inventory-duplicate-ids.yaml:12:9: duplicate camera id 'sch2-cam01' (first defined at invalid/inventory-duplicate-ids.yaml:7:9)",
                "invalid/inventory-duplicate-ids.yaml:23:9: camera id 'sch2-dvr-ch02' of recorder 'sch2-dvr' is already used (first defined at invalid/inventory-duplicate-ids.yaml:17:9)",
                "invalid/inventory-duplicate-ids.yaml:30:9: duplicate recorder id 'plain-dvr' (first defined at valid/inventory-plain.yaml:14:9)",
            ]
        ),
        (
            "inventory-impossible-overrides.yaml",
            [
                "invalid/inventory-impossible-overrides.yaml:8:23: min_frame_rate (30) is above warn_frame_rate (25): a camera would fail before it is warned",
                "invalid/inventory-impossible-overrides.yaml:9:17: interval must be more than 0 (got 0)",
                "invalid/inventory-impossible-overrides.yaml:17:18: min_width must be more than 0 (got -704)",
                "invalid/inventory-impossible-overrides.yaml:18:30: max_keyframe_interval must be more than 0 (got 0)",
            ]
        ),
        (
            "inventory-missing-keys.yaml",
            [
                "invalid/inventory-missing-keys.yaml:2:5: missing key 'region' in camera",
                "invalid/inventory-missing-keys.yaml:2:5: missing key 'url' in camera",
                "invalid/inventory-missing-keys.yaml:5:5: missing key 'id' in camera",
                "invalid/inventory-missing-keys.yaml:7:13: school must not be empty",
                "invalid/inventory-missing-keys.yaml:9:9: id 'm 3' must not contain spaces or line breaks",
            ]
        ),
        (
            "inventory-unknown-keys.yaml",
            [
                "invalid/inventory-unknown-keys.yaml:1:1: unknown key 'camera' in the inventory (allowed: cameras, recorders)",
                "invalid/inventory-unknown-keys.yaml:4:5: missing key 'url' in camera",
                "invalid/inventory-unknown-keys.yaml:8:5: unknown key 'urll' in camera (allowed: id, region, district, school, school_bin, location, kind, url, sub_url, credentials, profile, overrides)",
                "invalid/inventory-unknown-keys.yaml:15:7: unknown key 'min_fps' in overrides (allowed: min_width, min_height, min_frame_rate, warn_frame_rate, max_keyframe_interval, check_frozen, check_blurred, interval)",
                "invalid/inventory-unknown-keys.yaml:17:5: missing key 'channels' in recorder",
                "invalid/inventory-unknown-keys.yaml:23:5: unknown key 'chanels' in recorder (allowed: id, region, district, school, school_bin, host, port, vendor, channels, kind, credentials, profile, locations, template, sub_template, overrides, archive)",
            ]
        ),
        (
            "inventory-unknown-references.yaml",
            [
                "invalid/inventory-unknown-references.yaml:7:14: unknown profile 'digital-mian' (known: analog-dvr, digital-main, entrance, night-entrance)",
                "invalid/inventory-unknown-references.yaml:8:18: credentials 'school-99' are not in the secrets file",
                "invalid/inventory-unknown-references.yaml:17:14: unknown profile 'analog' (known: analog-dvr, digital-main, entrance, night-entrance)",
                "invalid/inventory-unknown-references.yaml:18:18: credentials 'dvr-99' are not in the secrets file",
            ]
        ),
        (
            "inventory-wrong-types.yaml",
            [
                "invalid/inventory-wrong-types.yaml:2:5: camera: expected a mapping of keys to values, found a single value",
                "invalid/inventory-wrong-types.yaml:3:9: id: expected a single value, found a list",
                "invalid/inventory-wrong-types.yaml:5:15: district: expected a single value, found a mapping",
                "invalid/inventory-wrong-types.yaml:8:16: overrides: expected a mapping of keys to values, found a single value",
                "invalid/inventory-wrong-types.yaml:16:18: min_width: expected a whole number, found 'wide'",
                "invalid/inventory-wrong-types.yaml:17:21: check_frozen: expected true or false, found 'maybe'",
                "invalid/inventory-wrong-types.yaml:18:17: interval: expected a number, found '.inf'",
                "invalid/inventory-wrong-types.yaml:19:12: recorders: expected a list, found a single value",
            ]
        ),
        (
            "profiles-cycles.yaml",
            [
                "invalid/profiles-cycles.yaml:2:12: profile 'a' extends itself: a → b → a",
                "invalid/profiles-cycles.yaml:6:12: profile 'c' extends itself: c → c",
                "invalid/profiles-cycles.yaml:8:12: profile 'd' extends unknown profile 'digital-mian' (known: a, analog-dvr, b, c, d, digital-main, e, fine)",
                "invalid/profiles-cycles.yaml:15:1: profile name 'two words' must be one word without spaces",
                "invalid/profiles-cycles.yaml:16:4: profile 'f': expected a mapping of keys to values, found a single value",
            ]
        ),
        (
            "profiles-impossible.yaml",
            [
                "invalid/profiles-impossible.yaml:2:14: min_width must be more than 0 (got -1920)",
                "invalid/profiles-impossible.yaml:3:19: min_frame_rate (30) is above warn_frame_rate (25): a camera would fail before it is warned",
                "invalid/profiles-impossible.yaml:5:20: warn_clock_skew (90) is above max_clock_skew (60): a clock would fail before it is warned",
                "invalid/profiles-impossible.yaml:6:18: unknown codec 'h266' (known: h264, hevc, mjpeg, mpeg4, h263, av1, vp8, vp9)",
                "invalid/profiles-impossible.yaml:8:18: black_share must be from 0 to 1 (got 1.5)",
                "invalid/profiles-impossible.yaml:9:24: frozen_difference must be from 0 to 1 (got -0.1)",
                "invalid/profiles-impossible.yaml:10:5: unknown key 'sharpness' in picture of profile 'strict' (allowed: black_share, uniform_spread, no_signal_flat_share, frozen_difference, frozen_change, static_frame_bytes, blurred_sharpness)",
                "invalid/profiles-impossible.yaml:11:13: interval must be more than 0 (got 0)",
                "invalid/profiles-impossible.yaml:12:3: unknown key 'resolution' in profile 'strict' (allowed: description, extends, codecs, min_width, min_height, min_frame_rate, warn_frame_rate, max_keyframe_interval, min_bitrate, warn_clock_skew, max_clock_skew, check_black, check_uniform, check_frozen, check_blurred, picture, flag_analog, interval, min_archive_days, max_archive_gap, max_archive_clock_offset)",
                "invalid/profiles-impossible.yaml:14:16: min_bitrate must not be negative (got -5)",
                "invalid/profiles-impossible.yaml:15:19: warn_clock_skew (5) is above max_clock_skew (3): a clock would fail before it is warned",
                "invalid/profiles-impossible.yaml:16:16: check_black: expected true or false, found 'sometimes'",
            ]
        ),
        (
            "secrets-bad-entries.yaml",
            [
                "secrets.yaml:2:3: missing key 'password' in secret 'school-12'",
                "secrets.yaml:6:3: unknown key in secret 'xmeye-dvr' (allowed: username, password)",
                "secrets.yaml:7:8: secret 'other': expected a mapping of keys to values, found a single value",
                "valid/inventory.yaml:10:18: credentials 'school-12' are not in the secrets file",
            ]
        ),
        (
            "secrets-mode-0644.yaml",
            [
                "camprobe.yaml:4:10: secrets file secrets.yaml is readable by group or others (mode 0644): run chmod 600 on it",
            ]
        ),
        (
            "secrets-syntax.yaml",
            [
                "secrets.yaml:4:1: YAML syntax: found unexpected end of stream (while scanning a quoted scalar at line 3, column 13)",
            ]
        ),
    ]

    @Test(arguments: cases.map(\.file))
    func invalidConfig_reportsExactDiagnostics(file: String) throws {
        let expected = try #require(Self.cases.first { $0.file == file }).expected
        let directory = try TemporaryDirectory()
        let (loaded, diagnostics) = ConfigLoader.forTests().load(path: try configPath(for: file, in: directory))
        #expect(loaded == nil)
        #expect(lines(diagnostics, relativeTo: directory.path) == expected)
    }

    @Test func invalidCases_coverEveryTestdataFile() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: TestFiles.testdata("invalid")).sorted()
        #expect(files == Self.cases.map(\.file).sorted())
    }

    /// The config to load for a case: the case itself, or one written around it.
    private func configPath(for file: String, in directory: TemporaryDirectory) throws -> String {
        let casePath = TestFiles.testdata("invalid/" + file)
        let valid = { (name: String) in TestFiles.testdata("valid/" + name) }
        switch file.prefix(while: { $0 != "-" }) {
        case "config":
            return casePath
        case "inventory":
            let secrets = try directory.copy(valid("secrets.yaml"), to: "secrets.yaml", mode: 0o600)
            return try directory.write(
                "camprobe.yaml",
                "inventory:\n  - \(valid("inventory-plain.yaml"))\n  - \(casePath)\nprofiles: \(valid("profiles.yaml"))\nsecrets: \(secrets)\n")
        case "profiles":
            return try directory.write("camprobe.yaml", "inventory:\n  - \(valid("inventory-plain.yaml"))\nprofiles: \(casePath)\n")
        case "secrets":
            let mode = file.contains("mode-0644") ? 0o644 : 0o600
            let secrets = try directory.copy(casePath, to: "secrets.yaml", mode: mode)
            return try directory.write(
                "camprobe.yaml",
                "inventory:\n  - \(valid("inventory.yaml"))\nprofiles: \(valid("profiles.yaml"))\nsecrets: \(secrets)\n")
        default:
            Issue.record("testdata/invalid/\(file): name it config-, inventory-, profiles- or secrets-")
            return casePath
        }
    }
}
