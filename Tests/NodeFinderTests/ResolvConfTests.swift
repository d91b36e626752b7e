import Platform
import Testing

@testable import NodeFinder

@Suite struct ResolvConfTests {
    static let kubelet = """
        search demo.svc.cluster.local svc.cluster.local cluster.local
        nameserver 10.96.0.10
        options ndots:5
        """

    @Test func kubernetesPod() {
        let config = ResolvConf.parse(Self.kubelet)
        #expect(config.nameservers == [Endpoint(IPAddress("10.96.0.10")!, 53)])
        #expect(config.search == ["demo.svc.cluster.local", "svc.cluster.local", "cluster.local"])
        #expect(config.ndots == 5 && config.timeout == 5 && config.attempts == 2)
    }

    /// With ndots:5 a pod FQDN (4 dots before "cluster.local" gives 6) is tried as-is first;
    /// a short name goes through the search list first.
    @Test func candidatesFollowNdots() {
        let config = ResolvConf.parse(Self.kubelet)
        #expect(config.candidates(for: "rc-0.rc.demo.svc.cluster.local").first == "rc-0.rc.demo.svc.cluster.local")
        #expect(
            config.candidates(for: "rc-0.rc") == [
                "rc-0.rc.demo.svc.cluster.local", "rc-0.rc.svc.cluster.local", "rc-0.rc.cluster.local", "rc-0.rc",
            ])
        #expect(config.candidates(for: "rc-0.rc.demo.svc.cluster.local.") == ["rc-0.rc.demo.svc.cluster.local"])
        let one = ResolvConf(search: ["a"], ndots: 1)
        #expect(one.candidates(for: "x.y") == ["x.y", "x.y.a"])
        #expect(one.candidates(for: "x") == ["x.a", "x"])
    }

    @Test func garbageAndLimits() {
        let config = ResolvConf.parse(
            """
            # comment
            nameserver not-an-ip
            nameserver 198.18.0.1 # trailing comment
            ; other comment
            nameserver ::1
            nameserver 198.18.0.2
            nameserver 198.18.0.3
            domain first.example
            search second.example.
            options ndots:99 timeout:0 attempts:100 rotate bogus:x
            \u{0}\u{1}binary junk
            options
            """)
        #expect(config.nameservers.map(\.description) == ["198.18.0.1:53", "[::1]:53", "198.18.0.2:53"])
        #expect(config.search == ["second.example"])
        #expect(config.ndots == 15 && config.timeout == 1 && config.attempts == 5)
    }

    @Test func emptyFileFallsBackToLocalhost() {
        let config = ResolvConf.parse("")
        #expect(config.nameservers == [Endpoint(IPAddress("127.0.0.1")!, 53)])
        #expect(config.search.isEmpty && config.ndots == 1)
    }

    @Test func crlfLines() {
        let config = ResolvConf.parse("nameserver 198.18.0.9\r\nsearch a.b\r\n")
        #expect(config.nameservers.first?.address == IPAddress("198.18.0.9"))
        #expect(config.search == ["a.b"])
    }
}

@Suite struct HostsFileTests {
    @Test func kubeletHostsFile() {
        let hosts = HostsFile.parse(
            """
            # Kubernetes-managed hosts file.
            127.0.0.1\tlocalhost
            ::1\tlocalhost ip6-localhost ip6-loopback
            198.18.0.4\trc-shard1-0.rc.demo.svc.cluster.local\trc-shard1-0
            garbage line
            999.1.1.1 bad
            """)
        #expect(hosts.addresses(for: "RC-SHARD1-0") == [IPAddress("198.18.0.4")!])
        #expect(hosts.addresses(for: "rc-shard1-0.rc.demo.svc.cluster.local.") == [IPAddress("198.18.0.4")!])
        #expect(hosts.addresses(for: "localhost") == [IPAddress("127.0.0.1")!, IPAddress("::1")!])
        #expect(hosts.addresses(for: "bad").isEmpty)
        #expect(hosts.addresses(for: "rc-shard1").isEmpty)
    }
}

@Suite struct EndpointTests {
    @Test func parsing() {
        #expect(Endpoint(parsing: "198.18.0.1", defaultPort: 53)?.description == "198.18.0.1:53")
        #expect(Endpoint(parsing: "198.18.0.1:5353", defaultPort: 53)?.description == "198.18.0.1:5353")
        #expect(Endpoint(parsing: "[::1]:5353", defaultPort: 53)?.description == "[::1]:5353")
        #expect(Endpoint(parsing: "::1", defaultPort: 53)?.description == "[::1]:53")
        #expect(Endpoint(parsing: "dns.local:53", defaultPort: 53) == nil)
        #expect(Endpoint(parsing: "198.18.0.1:99999", defaultPort: 53) == nil)
    }
}
