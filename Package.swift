// swift-tools-version:6.0
import PackageDescription

// No third-party packages: the binary is static and its supply chain is the Swift toolchain alone.
let package = Package(
    name: "redis-init",
    products: [
        .executable(name: "redis-init", targets: ["redis-init"])
    ],
    targets: [
        // Every Glibc call the product makes, behind small wrappers that name errno and honour deadlines.
        .target(name: "Platform"),
        // TLS: Mbed TLS from Debian's libmbedtls-dev, linked statically (small: OpenSSL would not fit 12 MiB).
        .systemLibrary(name: "CMbedTLS"),
        .target(name: "TLS", dependencies: ["CMbedTLS", "Platform"]),
        .target(name: "RESPClient", dependencies: ["Platform", "TLS"]),
        // The flow, one target a stage: what is declared -> where the pods are (DNS) -> what to do (pure).
        .target(name: "Declaration"),
        .target(name: "NodeFinder", dependencies: ["Platform"]),
        .target(name: "JoinLogic", dependencies: ["Declaration", "Platform"]),
        .executableTarget(name: "redis-init", dependencies: ["Platform", "TLS", "RESPClient", "Declaration", "NodeFinder", "JoinLogic"]),
        // What the suites that start real servers (dnsmasq, redis-server) on loopback share.
        .target(name: "TestSupport", dependencies: ["Platform"], path: "Tests/TestSupport"),
        .testTarget(name: "RESPClientTests", dependencies: ["RESPClient", "Platform", "TLS", "TestSupport"]),
        .testTarget(name: "DeclarationTests", dependencies: ["Declaration"]),
        .testTarget(name: "NodeFinderTests", dependencies: ["NodeFinder", "TestSupport"]),
        // The command line in-process: the option table, parsing, defaults, help (`@testable import redis_init`).
        .testTarget(name: "CLITests", dependencies: ["redis-init", "Platform", "TLS"]),
        .testTarget(name: "JoinLogicTests", dependencies: ["JoinLogic", "Declaration", "Platform"]),
    ],
    swiftLanguageModes: [.v6]
)
