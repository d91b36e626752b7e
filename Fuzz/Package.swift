// swift-tools-version:6.0
import PackageDescription

// libFuzzer targets for every parser of outside input. Built only by scripts/fuzz, with
// `-sanitize=fuzzer,address`, which supplies main; each target is one LLVMFuzzerTestOneInput.
let fuzzTargets = ["RESP", "DNSMessage", "ResolvConf", "HostsFile", "ClusterNodes", "Info", "NodesConf"]

let package = Package(
    name: "redis-init-fuzz",
    dependencies: [.package(name: "redis-init", path: "..")],
    targets: fuzzTargets.map { name in
        .executableTarget(
            name: "Fuzz\(name)",
            dependencies: [.product(name: "RedisInitCore", package: "redis-init")],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])])
    },
    swiftLanguageModes: [.v6]
)
