// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "camprobe",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "camprobe", targets: ["camprobe"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // FFmpeg's C libraries (Debian: libavformat-dev, libavcodec-dev, libavutil-dev).
        // Only the Probe target imports it.
        .systemLibrary(
            name: "CFFmpeg",
            pkgConfig: "libavformat libavcodec libavutil",
            providers: [.apt(["libavformat-dev", "libavcodec-dev", "libavutil-dev"])]
        ),
        // glibc pieces Swift's Glibc module leaves out (mallopt).
        .systemLibrary(name: "CSystem"),
        // Pure values and logic: no I/O, no C.
        .target(name: "CamProbeCore"),
        // The FFmpeg prober: the only target with unsafe code.
        .target(name: "Probe", dependencies: ["CamProbeCore", "CFFmpeg", "CSystem"]),
        // Configuration files: reads and strictly decodes the config, inventories (YAML, CSV),
        // profiles and secrets into CamProbeCore values. The file I/O lives here, not in the core.
        .target(name: "CamProbeConfig", dependencies: ["CamProbeCore", .product(name: "Yams", package: "Yams")]),
        .executableTarget(
            name: "camprobe",
            dependencies: [
                "CamProbeCore",
                "CamProbeConfig",
                "Probe",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "CamProbeCoreTests", dependencies: ["CamProbeCore"]),
        .testTarget(name: "ProbeTests", dependencies: ["CamProbeCore", "CamProbeConfig", "Probe"]),
        .testTarget(
            name: "CamProbeConfigTests",
            dependencies: ["CamProbeConfig", "CamProbeCore"],
            exclude: ["testdata"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
