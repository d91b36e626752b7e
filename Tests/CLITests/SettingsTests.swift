import Glibc
import Platform
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

    /// `--tls` needs its CA; a TLS file without `--tls`, or one that cannot be used, stops the command at
    /// once (exit 2), naming the option and the file.
    @Test func tlsFilesAreCheckedAtStart() throws {
        let base = ["status", "--name", "rc", "--shards", "3"]
        for (argv, message) in [
            (
                base + ["--tls"],
                "--tls needs --tls-ca-cert-file: the CA bundle that signed the servers' certificates (see 'redis-init --help')"
            ),
            (base + ["--tls-ca-cert-file", "/etc/hostname"], "--tls-ca-cert-file is set but --tls is not (see 'redis-init --help')"),
            (base + ["--tls", "--tls-ca-cert-file", "/nonexistent/ca.crt"], "--tls-ca-cert-file /nonexistent/ca.crt: no such file"),
        ] {
            do {
                _ = try settings(argv)
                Issue.record("\(argv) was accepted")
            } catch {
                #expect("\(error)" == message)
                #expect(error.exitCode == 2)
            }
        }
        // Not a certificate: named, with Mbed TLS's reason.
        do {
            _ = try settings(base + ["--tls", "--tls-ca-cert-file", "/etc/hostname"])
            Issue.record("a file with no certificate was accepted as the CA")
        } catch {
            #expect("\(error)".hasPrefix("--tls-ca-cert-file /etc/hostname: "))
        }
        #expect(try settings(base).tls == nil)
        let ca = "/tmp/redis-init-settings-test-\(getpid()).crt"
        try Files.writeAtomically(ca, Array(Self.testCA.utf8))
        defer { unlink(ca) }
        #expect(try settings(base, ["REDIS_INIT_TLS": "yes", "REDIS_INIT_TLS_CA_CERT_FILE": ca]).tls?.caCertFile == ca)
    }

    /// A self-signed certificate, only to be parsed.
    static let testCA = """
        -----BEGIN CERTIFICATE-----
        MIIBkDCCATegAwIBAgIURSZK3wk5R5OBw56resTmzDLWaV0wCgYIKoZIzj0EAwIw
        HTEbMBkGA1UEAwwScmVkaXMtaW5pdCB0ZXN0IENBMCAXDTI2MTIwMjIxNTAzNFoY
        DzIxMjYxMTA4MjE1MDM0WjAdMRswGQYDVQQDDBJyZWRpcy1pbml0IHRlc3QgQ0Ew
        WTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAR9x2pJ+VuvNlT3F82q1mH5Vsx/5mKR
        pbcyXVtCmELkgdX0htv2RHkqNq1fvcApewLzhE0Apdk9F6QyxdF/CIp6o1MwUTAd
        BgNVHQ4EFgQUzPxUcCvwqO8jENl1vIsUo1hnNt8wHwYDVR0jBBgwFoAUzPxUcCvw
        qO8jENl1vIsUo1hnNt8wDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNHADBE
        AiBKVdnSYy3Q+JsT9CurKccBqeajgdRr/gpjLbT8DIj14QIgEWf4PfKW1p1xVYLU
        2ng5HdRgMO4k6ycrdsjvSxqs8dM=
        -----END CERTIFICATE-----
        """
}
