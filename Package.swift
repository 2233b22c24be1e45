// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "relay",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "relay", targets: ["RelayServer"]),
        .executable(name: "relay-microbench", targets: ["Microbench"]),
        .executable(name: "relay-bench", targets: ["RelayBench"]),
        .library(name: "RTP", targets: ["RTP"]),
        .library(name: "DTLS", targets: ["DTLS"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/leaf.git", from: "4.5.2"),
        // Already in Vapor's graph: the HTTPS server's certificate, made or read.
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        // /metrics: swift-metrics instruments (already in Vapor's graph) over a Prometheus registry.
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        // The load generator's signaling and HTTP clients (in Vapor's graph too).
        .package(url: "https://github.com/vapor/websocket-kit.git", from: "2.16.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CSRTP", pkgConfig: "libsrtp2",
            providers: [.apt(["libsrtp2-dev"])]),
        .systemLibrary(
            name: "COpenSSL", pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]),
        .systemLibrary(
            name: "COpus", pkgConfig: "opus",
            providers: [.apt(["libopus-dev"])]),
        .systemLibrary(
            name: "CVPX", pkgConfig: "vpx",
            providers: [.apt(["libvpx-dev"])]),

        // recvmmsg/sendmmsg need _GNU_SOURCE, which only a C target can define.
        .target(name: "CUDP"),

        .target(name: "RTP", dependencies: ["CSRTP", "COpenSSL"]),
        .target(name: "DTLS", dependencies: ["COpenSSL", "RTP"]),
        .target(name: "Congestion", dependencies: ["RTP"]),
        .target(name: "Relay", dependencies: ["RTP", "DTLS", "COpenSSL", "CUDP", "Congestion"]),
        .target(name: "SDP", dependencies: ["Relay", "DTLS"]),
        .target(
            name: "Web",
            dependencies: [
                "Relay", "SDP", "DTLS",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Leaf", package: "leaf"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]),
        .executableTarget(
            name: "RelayServer",
            dependencies: [
                "Web",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(
            name: "Microbench", dependencies: ["RTP"], path: "bench/Microbench"),
        .executableTarget(
            name: "RelayBench",
            dependencies: [
                "RTP", "DTLS", "Relay", "SDP", "CUDP", "COpus", "CVPX", "COpenSSL",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "WebSocketKit", package: "websocket-kit"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            path: "bench/RelayBench"),

        .testTarget(name: "RTPTests", dependencies: ["RTP"], resources: [.copy("Fixtures")]),
        .testTarget(name: "DTLSTests", dependencies: ["DTLS", "RTP"]),
        .testTarget(name: "CongestionTests", dependencies: ["Congestion", "RTP"]),
        .testTarget(name: "RelayTests", dependencies: ["Relay", "CVPX"], resources: [.copy("Fixtures")]),
        .testTarget(name: "SDPTests", dependencies: ["SDP", "Relay"], resources: [.copy("Fixtures")]),
        .testTarget(
            name: "WebTests",
            dependencies: ["Web", "SDP", .product(name: "VaporTesting", package: "vapor")]),
    ],
    swiftLanguageModes: [.v6]
)
