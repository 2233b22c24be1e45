// swift-tools-version:6.0
// Fuzz targets for every parser that takes bytes from outside, built with libFuzzer and the
// address sanitizer by scripts/fuzz.sh. The library targets are the main package's own
// sources (Sources/ here links to them), so this package builds without Vapor.
import PackageDescription

let fuzzFlags: [SwiftSetting] = [.unsafeFlags(["-parse-as-library"])]

let package = Package(
    name: "relay-fuzz",
    targets: [
        .systemLibrary(name: "CSRTP", pkgConfig: "libsrtp2"),
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl"),
        .target(name: "CUDP"),
        .target(name: "RTP", dependencies: ["CSRTP", "COpenSSL"]),
        .target(name: "DTLS", dependencies: ["COpenSSL", "RTP"]),
        .target(name: "Congestion", dependencies: ["RTP"]),
        .target(name: "Relay", dependencies: ["RTP", "DTLS", "COpenSSL", "CUDP", "Congestion"]),
        .target(name: "SDP", dependencies: ["Relay", "DTLS"]),
        .target(name: "FuzzDriver"),
        .executableTarget(name: "FuzzRtp", dependencies: ["FuzzDriver", "RTP"], swiftSettings: fuzzFlags),
        .executableTarget(name: "FuzzRtcp", dependencies: ["FuzzDriver", "RTP", "Congestion"], swiftSettings: fuzzFlags),
        .executableTarget(name: "FuzzStun", dependencies: ["FuzzDriver", "Relay"], swiftSettings: fuzzFlags),
        .executableTarget(name: "FuzzSdp", dependencies: ["FuzzDriver", "SDP", "Relay", "DTLS"], swiftSettings: fuzzFlags),
        .executableTarget(name: "FuzzPayloads", dependencies: ["FuzzDriver", "RTP"], swiftSettings: fuzzFlags),
        // The signaling messages' decoder, whose files live in the Web module with no Vapor in them.
        .target(name: "SignalingMessages"),
        .executableTarget(name: "FuzzSignaling", dependencies: ["FuzzDriver", "SignalingMessages"], swiftSettings: fuzzFlags),
        .executableTarget(name: "FuzzDatagrams", dependencies: ["FuzzDriver", "Relay", "DTLS"], swiftSettings: fuzzFlags),
    ],
    swiftLanguageModes: [.v6]
)
