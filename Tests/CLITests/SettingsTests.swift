import Testing

@testable import redis_init

/// `Settings`: every default comes from the option table; values are checked, each error names its flag.
@Suite struct SettingsTests {
    func settings(
        _ arguments: [String], _ environment: [String: String] = [:], needsPod: Bool = false, allowsUndeclaredPod: Bool = false
    ) throws(Failure) -> Settings {
        let parsed = try ParsedArguments.parse(arguments, environment: { environment[$0] })
        return try Settings(parsed, needsPod: needsPod, allowsUndeclaredPod: allowsUndeclaredPod, environment: { environment[$0] })
    }

    /// `run` on a pod the declaration no longer names keeps its server (it may serve slots); every
    /// other command, and a name of no StatefulSet of the declaration, is refused as before.
    @Test func aPodBeyondTheDeclarationIsLetThroughForRunOnly() throws {
        let beyond = ["run", "--name", "rc", "--shards", "3", "--pod-name", "rc-shard3-0"]
        let s = try settings(beyond, needsPod: true, allowsUndeclaredPod: true)
        #expect(s.undeclaredPod == "rc-shard3-0" && s.me == nil)
        #expect(throws: Failure.self) { try settings(beyond, needsPod: true) }
        let stranger = ["run", "--name", "rc", "--shards", "3", "--pod-name", "cache-0"]
        #expect(throws: Failure.self) { try settings(stranger, needsPod: true, allowsUndeclaredPod: true) }
        let declared = try settings(
            ["run", "--name", "rc", "--shards", "3", "--replicas", "1", "--pod-name", "rc-shard2-1"], needsPod: true,
            allowsUndeclaredPod: true)
        #expect(declared.undeclaredPod == nil && declared.me?.name == "rc-shard2-1")
    }

    @Test func defaultsAreTheTables() throws {
        let s = try settings(["run", "--name", "rc", "--shards", "3", "--pod-name", "rc-shard0-0"], needsPod: true)
        func table(_ flag: String) -> String { OptionSpec.named(flag)!.defaultValue!.value! }
        #expect(s.topology.layout.rawValue == table("--layout"))
        #expect(String(s.topology.replicas) == table("--replicas"))
        #expect(String(s.localEndpoint.port) == table("--port"))
        #expect("\(s.localEndpoint.address)" == table("--local-address"))
        #expect(s.timeout == Double(table("--timeout")))
        #expect(s.interval == Double(table("--interval")))
        #expect(s.failoverTimeout == Double(table("--failover-timeout")))
        #expect(s.syncDelay == table("--sync-delay"))
        #expect(s.me?.host == "rc-shard0-0.rc.\(table("--namespace")).svc.\(table("--cluster-domain"))")
        #expect(s.nodesConf == nil && s.nameserver == nil && s.credentials == nil && !s.json && !s.allowSlotTakeover)
    }

    @Test func thePodNameFallsBackToHOSTNAME() throws {
        let s = try settings(["sidecar", "--name", "rc", "--shards", "3"], ["HOSTNAME": "rc-shard2-0"], needsPod: true)
        #expect(s.me?.name == "rc-shard2-0")
    }

    @Test func badValuesNameTheirFlag() {
        let base = ["run", "--name", "rc", "--pod-name", "rc-shard0-0"]
        let cases: [([String], String)] = [
            (base, "--shards is required (the number of masters, at least 3)"),
            (base + ["--shards", "two"], "--shards 'two' is not a whole number"),
            (base + ["--shards", "3", "--port", "0"], "--port '0' is not a port (1-65535)"),
            (base + ["--shards", "3", "--timeout", "-1"], "--timeout '-1' is not a number of seconds"),
            (base + ["--shards", "3", "--sync-delay", "-1"], "--sync-delay '-1' is not a number of seconds (0 or more)"),
            (base + ["--shards", "3", "--local-address", "pod"], "--local-address 'pod' is not an IP address"),
            (base + ["--shards", "3", "--log-format", "xml"], "--log-format must be text or json"),
            (base + ["--shards", "3", "--layout", "weird"], "--layout must be one of shards, ordinal, static"),
        ]
        for (argv, message) in cases {
            do {
                _ = try settings(argv, needsPod: true)
                Issue.record("\(argv) was accepted")
            } catch {
                #expect("\(error)" == "\(message) (see 'redis-init --help')", "\(argv)")
                #expect(error.exitCode == 2)
            }
        }
    }
}
