import Declaration
import Testing

@testable import JoinLogic

@Suite struct ClusterNodeParsingTests {
    /// Real lines as Redis 7.0 prints them.
    static let redis7 = """
        e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca 198.18.0.1:6379@16379,rc-shard0-0.rc.demo.svc.cluster.local myself,master - 0 1700000000000 1 connected 0-5460
        67ed2db8d677e59ec4a4cefb06858cf2a1a89fa1 198.18.0.2:6379@16379,rc-shard0-1.rc.demo.svc.cluster.local slave e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca 0 1700000000001 1 connected
        292f8b365bb7edb5e285caf0b7e6ddc7265d2f4f 198.18.1.1:6379@16379,rc-shard1-0.rc.demo.svc.cluster.local master,fail - 1700000000000 1700000000000 2 disconnected 5461-10921 10922 [10923->-e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca]
        6ec23923021cf3ffec47632106199cb7f496ce01 198.18.1.2:6379@16379,rc-shard1-1.rc.demo.svc.cluster.local master,fail? - 0 0 5 connected
        824fe116063bc5fcf9f4ffd895bc17aee7731ac3 :0@0 master,noaddr - 0 0 0 disconnected
        b1dd1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d 198.18.2.1:6379@16379 handshake - 0 0 0 connected
        """

    /// Views parsed with one pool share the storage of each ID and hostname; without, each has its own.
    @Test func viewsParsedWithOnePoolShareTheirStrings() throws {
        func storage(_ text: String) -> UnsafeRawPointer? {
            var copy = text
            return copy.withUTF8 { UnsafeRawPointer($0.baseAddress) }
        }
        let pool = StringPool()
        let first = try ClusterNode.parseAll(Self.redis7, pool: pool)
        let second = try ClusterNode.parseAll(Self.redis7, pool: pool)
        let apart = try ClusterNode.parseAll(Self.redis7)
        #expect(first == second && first == apart)
        #expect(storage(first[2].id) == storage(second[2].id))
        #expect(storage(first[2].hostname!) == storage(second[2].hostname!))
        #expect(storage(first[0].id) == storage(second[1].masterID!))
        #expect(storage(first[2].id) != storage(apart[2].id))
    }

    @Test func parsesRedis7Lines() throws {
        let nodes = try ClusterNode.parseAll(Self.redis7)
        #expect(nodes.count == 6)
        let me = nodes[0]
        #expect(me.flags.myself && me.flags.master && me.ip == "198.18.0.1" && me.port == 6379 && me.busPort == 16379)
        #expect(me.hostname == "rc-shard0-0.rc.demo.svc.cluster.local")
        #expect(me.slots == [SlotRange(0, 5460)] && me.configEpoch == 1 && me.linkConnected)
        #expect(nodes[1].flags.replica && nodes[1].masterID == me.id && !nodes[1].ownsSlots)
        #expect(nodes[2].flags.failing && !nodes[2].linkConnected && nodes[2].slots == [SlotRange(5461, 10921), SlotRange(10922, 10922)])
        #expect(nodes[2].slotCount == 5462 && !nodes[2].isUsable)
        #expect(nodes[3].flags.suspectedFailing && nodes[3].isUsable)
        #expect(nodes[4].flags.noAddress && nodes[4].ip.isEmpty && !nodes[4].isUsable)
        #expect(nodes[5].flags.handshake && nodes[5].hostname == nil && !nodes[5].isUsable)
    }

    @Test func auxFieldsOfLaterVersions() throws {
        let node = try ClusterNode.parse(
            line: "e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca 198.18.0.1:6379@16379,,tls-port=0,shard-id=abc master - 0 0 3 connected")
        #expect(node.hostname == nil && node.configEpoch == 3)
        let named = try ClusterNode.parse(
            line: "e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca [2001:db8::1]:6379@16379,hostname=h.example master - 0 0 3 connected")
        #expect(named.hostname == "h.example" && named.ip == "[2001:db8::1]")
        let redis62 = try ClusterNode.parse(
            line: "e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca 198.18.0.1:6379@16379 myself,master - 0 0 0 connected")
        #expect(redis62.hostname == nil && redis62.flags.myself)
    }

    @Test func openSlotsAreReadApartFromServedOnes() throws {
        let other = String(repeating: "c", count: 40)
        let line =
            "\(String(repeating: "a", count: 40)) 198.18.0.1:6379@16379 myself,master - 0 0 1 connected 0-5460 [5461-<-\(other)] [93->-\(other)]"
        let node = try ClusterNode.parse(line: line)
        #expect(node.slots == [SlotRange(0, 5460)])
        #expect(node.importing == [5461: other] && node.migrating == [93: other] && node.hasOpenSlots)
        for bad in ["[93->-abc]", "[93-x-\(other)]", "[99999->-\(other)]", "[93->-\(other)"] {
            #expect(throws: ObservationParseError.self) {
                try ClusterNode.parse(
                    line: "\(String(repeating: "a", count: 40)) 1.2.3.4:6379@16379 myself,master - 0 0 1 connected \(bad)")
            }
        }
    }

    @Test func rejectsMalformedLines() {
        let bad = [
            "short line",
            "nothex0000000000000000000000000000000000 198.18.0.1:6379@16379 master - 0 0 0 connected",
            "e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca 198.18.0.1:6379 master - 0 0 0 connected",
            "e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca 198.18.0.1:6379@16379 master - 0 0 x connected",
            "e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca 198.18.0.1:6379@16379 master - 0 0 0 maybe",
            "e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca 198.18.0.1:6379@16379 master - 0 0 0 connected 5-3",
            "e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca 198.18.0.1:6379@16379 master - 0 0 0 connected 16384",
            "e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca 198.18.0.1:6379@16379 master - 0 0 0 connected 1-2-3",
        ]
        for line in bad {
            #expect(throws: ObservationParseError.self, "\(line)") { try ClusterNode.parse(line: line) }
        }
    }

    @Test func wholeReplyNeedsExactlyOneMyself() {
        #expect(throws: ObservationParseError.self) {
            try ClusterNode.parseAll("e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca 198.18.0.1:6379@16379 master - 0 0 0 connected")
        }
        #expect(throws: ObservationParseError.self) { try ClusterNode.parseAll("") }
    }

    @Test func crlfReply() throws {
        let text = Self.redis7.split(separator: "\n").joined(separator: "\r\n") + "\r\n"
        #expect(try ClusterNode.parseAll(text).count == 6)
    }

    @Test func clusterInfoAndReplication() throws {
        let info = try ClusterInfo(
            parsing:
                "cluster_state:ok\r\ncluster_slots_assigned:16384\r\ncluster_slots_ok:16384\r\ncluster_known_nodes:6\r\ncluster_size:3\r\ncluster_current_epoch:6\r\ncluster_my_epoch:2\r\n"
        )
        #expect(info == ClusterInfo(isOK: true, slotsAssigned: 16384, knownNodes: 6, currentEpoch: 6, myEpoch: 2))
        #expect(throws: ObservationParseError.self) { try ClusterInfo(parsing: "cluster_state:ok\r\n") }
        let replica = try ReplicationInfo(
            parsing: "# Replication\r\nrole:slave\r\nmaster_host:198.18.0.1\r\nmaster_port:6379\r\nmaster_link_status:up\r\n")
        #expect(replica == ReplicationInfo(isReplica: true, linkUp: true, connectedReplicas: 0, masterHost: "198.18.0.1", masterPort: 6379))
        let master = try ReplicationInfo(
            parsing: "# Replication\r\nrole:master\r\nconnected_slaves:2\r\n"
                + "slave0:ip=198.18.0.2,port=6379,state=online,offset=14,lag=0\r\nslave1:ip=198.18.0.3,port=6379,state=wait_bgsave,offset=0,lag=0\r\n"
                + "slave_read_repl_offset:1\r\n")
        #expect(master == ReplicationInfo(isReplica: false, linkUp: false, connectedReplicas: 2, onlineReplicas: 1))
        #expect(throws: ObservationParseError.self) { try ReplicationInfo(parsing: "nothing") }
    }

    @Test func slotArithmetic() {
        let range = SlotRange(0, 5460)
        #expect(range.subtracting([]) == [range])
        #expect(range.subtracting([SlotRange(0, 5460)]).isEmpty)
        #expect(range.subtracting([SlotRange(100, 199), SlotRange(5000, 6000)]) == [SlotRange(0, 99), SlotRange(200, 4999)])
        #expect(range.subtracting([SlotRange(6000, 7000)]) == [range])
        #expect(SlotRange(5, 10).isInside(range) && !SlotRange(5000, 5461).isInside(range))
        #expect(SlotRange(1, 5).overlaps(SlotRange(5, 9)) && !SlotRange(1, 4).overlaps(SlotRange(5, 9)))
    }
}
