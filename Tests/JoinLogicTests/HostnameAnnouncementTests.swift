import Declaration
import Testing

@testable import JoinLogic

/// `HostnameAnnouncement` and `ServerVersion`: a hostname is announced only where no node it knows
/// would drop the pings that carry it.
@Suite struct HostnameAnnouncementTests {
    let f = Fixture()
    let v62 = ServerVersion(major: 6, minor: 2, patch: 14)
    let v70 = ServerVersion(major: 7, minor: 0, patch: 15)

    @Test func versionsAreReadFromInfoServer() {
        let redis = ServerVersion(info: "# Server\r\nredis_version:7.0.15\r\nredis_mode:cluster\r\n")
        #expect(redis == ServerVersion(major: 7, minor: 0, patch: 15))
        #expect(redis?.description == "Redis 7.0.15")
        let valkey = ServerVersion(info: "redis_version:7.2.4\r\nvalkey_version:8.1.1\r\n")
        #expect(valkey?.description == "Valkey 8.1.1" && valkey?.readsPingExtensions == true)
        #expect(ServerVersion(info: "redis_version:6.2.14\r\n")?.readsPingExtensions == false)
        #expect(ServerVersion(info: "nothing") == nil)
    }

    @Test func aNodeOfA62ServerHoldsTheAnnouncement() {
        let decision = HostnameAnnouncement.decide(local: v70, answers: [("198.18.0.2:6379", v70), ("198.18.1.1:6379", v62)])
        #expect(
            decision
                == .hold(
                    "not announcing this node's hostname yet: servers that drop cluster pings carrying one still run at 198.18.1.1:6379 (Redis 6.2.14)"
                ))
    }

    @Test func anAllSevenClusterOrNoAnswerAnnounces() {
        #expect(HostnameAnnouncement.decide(local: v70, answers: []) == .announce)
        #expect(HostnameAnnouncement.decide(local: v70, answers: [("a", v70), ("b", ServerVersion(major: 7, minor: 2))]) == .announce)
        // A 6.2 server itself is left to say it has no such option.
        #expect(HostnameAnnouncement.decide(local: v62, answers: [("a", v62)]) == .announce)
    }

    @Test func onlyConnectedNamelessNodesAreAsked() throws {
        let lines = [
            f.line(f.pod(0, 0), myself: true, hostname: nil),
            f.line(f.pod(1, 0), hostname: nil),
            f.line(f.pod(2, 0)),
            f.line(f.pod(0, 1), hostname: nil, linkDown: true),
            f.line(f.pod(1, 1), extraFlags: "noaddr", hostname: nil),
        ]
        let nodes = try ClusterNode.parseAll(lines.joined(separator: "\n"))
        #expect(HostnameAnnouncement.nodesToAsk(nodes).map(\.id) == [f.id(f.pod(1, 0))])
    }
}
