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
        .target(name: "RESPClient", dependencies: ["Platform"]),
        .target(name: "NodeFinder", dependencies: ["Platform"]),
        .target(name: "JoinLogic", dependencies: ["NodeFinder"]),
        .executableTarget(name: "redis-init", dependencies: ["Platform", "RESPClient", "NodeFinder", "JoinLogic"]),
        // What the suites that start real servers (dnsmasq, redis-server) on loopback share.
        .target(name: "TestSupport", dependencies: ["Platform"], path: "Tests/TestSupport"),
        .testTarget(name: "RESPClientTests", dependencies: ["RESPClient", "Platform", "TestSupport"]),
        .testTarget(name: "NodeFinderTests", dependencies: ["NodeFinder", "TestSupport"]),
        .testTarget(name: "JoinLogicTests", dependencies: ["JoinLogic", "NodeFinder"]),
    ],
    swiftLanguageModes: [.v6]
)
