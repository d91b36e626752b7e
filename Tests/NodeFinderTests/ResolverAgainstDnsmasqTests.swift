import Glibc
import Platform
import TestSupport
import Testing

@testable import NodeFinder

/// A real dnsmasq on a loopback port, started and stopped by PID for each test.
final class Dnsmasq {
    private(set) var port: UInt16 = 0
    private(set) var pid: pid_t = 0
    let directory: String

    init(hosts: [(String, String)], options: [String]) throws {
        var template = Array("/tmp/redis-init-dns-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw SystemError("mkdtemp") }
        directory = String(
            decoding: Array(UnsafeBufferPointer(start: made, count: strlen(made))).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let hostsFile = directory + "/hosts"
        let text = hosts.map { "\($0.1) \($0.0)\n" }.joined()
        let file = fopen(hostsFile, "w")
        fputs(text, file)
        fclose(file)
        (pid, port) = try startOnLoopbackPort(
            "dnsmasq", spawn: { port in try Dnsmasq.spawn(port: port, hostsFile: hostsFile, directory: directory, options: options) },
            ready: Dnsmasq.isAnswering)
    }

    private static func spawn(port: UInt16, hostsFile: String, directory: String, options: [String]) throws -> pid_t {
        try spawnProcess(
            [
                "dnsmasq", "--conf-file=/dev/null", "--keep-in-foreground", "--no-resolv", "--no-hosts", "--addn-hosts=\(hostsFile)",
                "--local=/cluster.local/", "--listen-address=127.0.0.1", "--bind-interfaces", "--port=\(port)", "--user=root",
                "--pid-file=\(directory)/pid", "--log-facility=\(directory)/log",
            ] + options)
    }

    /// Ready when it answers a query over UDP (a TCP probe would make it fork a handler).
    private static func isAnswering(port: UInt16) -> Bool {
        let probe = Resolver(
            config: ResolvConf(nameservers: [Endpoint(IPAddress("127.0.0.1")!, port)], ndots: 1, timeout: 0.2, attempts: 1),
            hosts: HostsFile.parse(""))
        if case .failure(.serverFailure) = probe.addresses(of: "ready.probe.cluster.local") { return false }
        return true
    }

    /// How many queries dnsmasq has logged (it runs with --log-queries).
    func queriesLogged() throws -> Int {
        sleep(seconds: 0.1)  // dnsmasq writes its log after answering
        return try Files.readText(directory + "/log").split(separator: "\n").filter { $0.contains(" query[") }.count
    }

    var endpoint: Endpoint { Endpoint(IPAddress("127.0.0.1")!, port) }

    func stop() {
        if pid > 0 { sleep(seconds: 0.1) }  // lets dnsmasq reap the child it forked for a TCP query
        stopChild(&pid)
        for name in ["hosts", "pid", "log"] { unlink(directory + "/" + name) }
        rmdir(directory)
    }

    deinit { stop() }

    static var isInstalled: Bool {
        let paths: [String] = ["/usr/sbin/dnsmasq", "/usr/bin/dnsmasq", "/sbin/dnsmasq"]
        return paths.contains { Files.exists($0) }
    }
}

/// The resolver against a real DNS server: the answers a Kubernetes cluster's DNS gives.
@Suite(.serialized, .enabled(if: Dnsmasq.isInstalled, "dnsmasq is installed by scripts/install-test-deps"))
struct ResolverAgainstDnsmasqTests {
    static let domain = "rc.demo.svc.cluster.local"

    func resolver(_ server: Dnsmasq, search: [String] = [], ndots: Int = 5, timeout: Double = 1) -> Resolver {
        Resolver(
            config: ResolvConf(nameservers: [server.endpoint], search: search, ndots: ndots, timeout: timeout, attempts: 2),
            hosts: HostsFile.parse(""))
    }

    @Test func addressesAndSearchList() throws {
        let server = try Dnsmasq(hosts: [("rc-0.\(Self.domain)", "198.18.0.1"), ("v6.\(Self.domain)", "2001:db8::7")], options: [])
        let kube = resolver(server, search: ["demo.svc.cluster.local", "svc.cluster.local", "cluster.local"])
        #expect(try kube.addresses(of: "rc-0.\(Self.domain)").get() == [IPAddress("198.18.0.1")!])
        // A short name, found through the search list as a pod resolves its peers.
        #expect(try kube.addresses(of: "rc-0.rc").get() == [IPAddress("198.18.0.1")!])
        #expect(try kube.addresses(of: "v6.\(Self.domain)").get() == [IPAddress("2001:db8::7")!])
        #expect(kube.addresses(of: "rc-9.\(Self.domain)") == .failure(.notFound(name: "rc-9.\(Self.domain)")))
        #expect(try kube.addresses(of: "198.18.0.44").get() == [IPAddress("198.18.0.44")!])
    }

    @Test func serviceRecordsAndAliases() throws {
        let server = try Dnsmasq(
            hosts: [("rc-0.\(Self.domain)", "198.18.0.1"), ("rc-1.\(Self.domain)", "198.18.0.2")],
            options: [
                "--srv-host=_redis._tcp.\(Self.domain),rc-0.\(Self.domain),6379,0,50",
                "--srv-host=_redis._tcp.\(Self.domain),rc-1.\(Self.domain),6379,0,50",
                "--cname=alias.\(Self.domain),rc-1.\(Self.domain)",
            ])
        let records = try resolver(server).serviceRecords(of: "_redis._tcp.\(Self.domain)").get()
        #expect(Set(records.map(\.target)) == ["rc-0.\(Self.domain)", "rc-1.\(Self.domain)"])
        #expect(records.allSatisfy { $0.port == 6379 })
        #expect(try resolver(server).addresses(of: "alias.\(Self.domain)").get() == [IPAddress("198.18.0.2")!])
    }

    /// 60 addresses do not fit a 512-byte UDP answer: dnsmasq sets TC and the resolver asks over TCP.
    @Test func truncatedAnswerFallsBackToTCP() throws {
        let many = (1...60).map { ("big.\(Self.domain)", "198.18.1.\($0)") }
        let server = try Dnsmasq(hosts: many, options: [])
        let found = try resolver(server).addresses(of: "big.\(Self.domain)").get()
        #expect(found.count == 60)
    }

    /// A server that never answers costs timeout x attempts once, then a clear error; nothing hangs.
    @Test func silentServerIsBounded() throws {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let silent = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(silent) }
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(silent, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var bound = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &bound) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(silent, $0, &length) }
        }
        let endpoint = Endpoint(IPAddress("127.0.0.1")!, UInt16(bigEndian: bound.sin_port))
        // Three search domains: three candidates, each of which would wait again if the search went on.
        let search = ["demo.svc.cluster.local", "svc.cluster.local", "cluster.local"]
        let resolver = Resolver(
            config: ResolvConf(nameservers: [endpoint], search: search, ndots: 5, timeout: 1, attempts: 2), hosts: HostsFile.parse(""))
        let start = Deadline.now()
        let result = resolver.addresses(of: "rc-0.rc")
        let elapsed = Deadline.now().seconds(since: start)
        guard case .failure(.serverFailure(_, let detail)) = result else {
            Issue.record("expected a server failure, got \(result)"); return
        }
        #expect(detail.contains("timed out"))
        // The first candidate's 2 attempts of 1 s; not 3 candidates x (A + AAAA) x 2 attempts = 12 s.
        #expect(elapsed < 3.5)
    }

    /// A pod not published yet costs one query a look-up: asked by its absolute name (no search domains)
    /// and, once NXDOMAIN, not asked for AAAA.
    @Test func missingAbsoluteNameCostsOneQuery() throws {
        let server = try Dnsmasq(hosts: [("rc-0.\(Self.domain)", "198.18.0.1")], options: ["--log-queries"])
        let kube = resolver(server, search: ["demo.svc.cluster.local", "svc.cluster.local", "cluster.local"])
        let before = try server.queriesLogged()
        #expect(kube.addresses(of: "rc-9.\(Self.domain).") == .failure(.notFound(name: "rc-9.\(Self.domain)")))
        #expect(try server.queriesLogged() - before == 1)
        #expect(try kube.addresses(of: "rc-0.\(Self.domain).").get() == [IPAddress("198.18.0.1")!])
    }

    @Test func hostsFileComesFirst() throws {
        let server = try Dnsmasq(hosts: [("rc-0.\(Self.domain)", "198.18.0.1")], options: [])
        let withHosts = Resolver(
            config: ResolvConf(nameservers: [server.endpoint]), hosts: HostsFile.parse("198.18.9.9 rc-0.\(Self.domain) rc-0"))
        #expect(try withHosts.addresses(of: "rc-0.\(Self.domain)").get() == [IPAddress("198.18.9.9")!])
    }
}
