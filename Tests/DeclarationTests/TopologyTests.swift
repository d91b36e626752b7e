import Testing

@testable import Declaration

func topology(_ layout: Layout, shards: Int = 3, replicas: Int = 1, peers: [String] = []) throws -> Topology {
    try Topology(
        layout: layout, name: "rc", service: nil, namespace: "demo", clusterDomain: "cluster.local", shards: shards,
        replicas: replicas, port: 6379, peers: peers)
}

@Suite struct TopologyTests {
    @Test func shardsLayoutNamesAndHosts() throws {
        let t = try topology(.shards)
        #expect(t.pods.map(\.name) == ["rc-shard0-0", "rc-shard0-1", "rc-shard1-0", "rc-shard1-1", "rc-shard2-0", "rc-shard2-1"])
        #expect(t.pods[2].host == "rc-shard1-0.rc.demo.svc.cluster.local")
        // A Service's pod name is complete: asked absolute, never through the search list.
        #expect(t.pods[2].lookupName == "rc-shard1-0.rc.demo.svc.cluster.local.")
        #expect(t.creator.name == "rc-shard0-0")
        #expect(t.designatedMasters.map(\.name) == ["rc-shard0-0", "rc-shard1-0", "rc-shard2-0"])
    }

    /// Bitnami: pod k is shard k mod M, ordinal k div M.
    @Test func ordinalLayoutMapping() throws {
        let t = try topology(.ordinal, shards: 3, replicas: 2)
        let byName = Dictionary(uniqueKeysWithValues: t.pods.map { ($0.name, ($0.shard, $0.ordinal)) })
        for k in 0..<9 {
            let (shard, ordinal) = try #require(byName["rc-\(k)"])
            #expect(shard == k % 3 && ordinal == k / 3)
        }
        #expect(t.designatedMasters.map(\.name) == ["rc-0", "rc-1", "rc-2"])
    }

    /// shard1 is not a prefix of shard10, ordinal 10 is not 0, and leading zeros are not numbers.
    @Test func exactNameParsing() throws {
        let shards = try topology(.shards, shards: 12, replicas: 10)
        #expect(shards.parse(podName: "rc-shard1-0")! == (1, 0))
        #expect(shards.parse(podName: "rc-shard10-0")! == (10, 0))
        #expect(shards.parse(podName: "rc-shard1-10")! == (1, 10))
        for bad in [
            "rc-shard1", "rc-shard01-0", "rc-shard1-00", "rc-shard1-0x", "rc-shard12-0", "rc-shard1-11", "rcx-shard1-0",
            "rc-shard-1-0", "rc-shard1-0-0", "xrc-shard1-0", "rc-shard1--0", "rc-shard+1-0", "",
        ] {
            #expect(shards.parse(podName: bad) == nil, "\(bad)")
        }
        let ordinal = try topology(.ordinal, shards: 3, replicas: 3)
        #expect(ordinal.parse(podName: "rc-10")! == (1, 3))
        #expect(ordinal.parse(podName: "rc-0")! == (0, 0))
        for bad in ["rc-12", "rc-010", "rc-00", "rc-", "rc-1a", "rc--1", "rc-shard0-0", "rc1"] {
            #expect(ordinal.parse(podName: bad) == nil, "\(bad)")
        }
    }

    @Test func podLookupIsWholeName() throws {
        let t = try topology(.shards, shards: 11, replicas: 0)
        #expect(t.pod(named: "rc-shard1-0")?.shard == 1)
        #expect(t.pod(named: "rc-shard10-0")?.shard == 10)
        #expect(t.pod(named: "rc-shard1") == nil)
        #expect(t.pod(withHost: "RC-SHARD10-0.rc.demo.svc.cluster.local.")?.shard == 10)
        #expect(t.pod(withHost: "rc-shard10-0.rc.other.svc.cluster.local") == nil)
    }

    @Test func staticLayoutByPosition() throws {
        let peers = ["redis-0", "redis-1", "redis-2:7000", "[::1]:7001", "198.18.0.5", "redis-5"]
        let t = try topology(.static, replicas: 1, peers: peers)
        #expect(t.pods.map(\.name) == ["redis-0", "[::1]:7001", "redis-1", "198.18.0.5", "redis-2:7000", "redis-5"])
        let third = try #require(t.pod(named: "redis-2:7000"))
        #expect(third.host == "redis-2" && third.port == 7000 && third.shard == 2 && third.ordinal == 0)
        // A compose service name is bare: the search list (Docker's, or the host's) completes it.
        #expect(third.lookupName == "redis-2")
        #expect(t.pod(named: "redis-2")?.port == 7000)  // a unique bare host matches too
        #expect(t.pod(named: "[::1]:7001")?.host == "::1")
    }

    @Test func staticSameHostNeedsThePort() throws {
        let peers = (0..<6).map { "127.0.0.1:\(7000 + $0)" }
        let t = try topology(.static, replicas: 1, peers: peers)
        #expect(t.pod(named: "127.0.0.1") == nil)
        #expect(t.pod(named: "127.0.0.1:7004")?.shard == 1)
    }

    @Test func invalidDeclarations() {
        #expect(throws: TopologyError.tooFewShards(2)) { try topology(.shards, shards: 2) }
        #expect(throws: TopologyError.negativeReplicas(-1)) { try topology(.shards, replicas: -1) }
        #expect(throws: TopologyError.peerCountMismatch(expected: 6, got: 3)) { try topology(.static, peers: ["a", "b", "c"]) }
        #expect(throws: TopologyError.missing(flag: "--peers", layout: .static)) { try topology(.static) }
        #expect(throws: TopologyError.duplicatePeer("a")) { try topology(.static, replicas: 0, peers: ["a", "b", "a"]) }
        #expect(throws: TopologyError.invalidPeer("a:0")) { try topology(.static, replicas: 0, peers: ["a:0", "b", "c"]) }
        #expect(throws: TopologyError.invalidLabel(flag: "--name", value: "RC")) {
            try Topology(
                layout: .shards, name: "RC", service: nil, namespace: "d", clusterDomain: "cluster.local", shards: 3, replicas: 0,
                port: 6379, peers: [])
        }
        #expect(throws: TopologyError.missing(flag: "--name", layout: .ordinal)) {
            try Topology(
                layout: .ordinal, name: "", service: nil, namespace: "d", clusterDomain: "cluster.local", shards: 3, replicas: 0,
                port: 6379, peers: [])
        }
    }
}

@Suite struct SlotRangeTests {
    /// redis-cli's allocation loop, written out as it stands in `clusterManagerCommandCreate`
    /// (C `float` cursor, `lround`, `first = last + 1`), as an independent oracle.
    static func redisCLI(_ masters: Int) -> [SlotRange] {
        let perNode: Float = 16384 / Float(masters)
        var first = 0
        var cursor: Float = 0
        var result: [SlotRange] = []
        for index in 0..<masters {
            var last = Int((cursor + perNode - 1).rounded(.toNearestOrAwayFromZero))
            if last > 16384 || index == masters - 1 { last = 16383 }
            if last < first { last = first }
            result.append(SlotRange(first, last))
            first = last + 1
            cursor += perNode
        }
        return result
    }

    @Test func threeShardsAreTheFamousRanges() {
        #expect(SlotRange.all(shards: 3) == [SlotRange(0, 5460), SlotRange(5461, 10922), SlotRange(10923, 16383)])
    }

    @Test(arguments: Array(3...20) + [50, 78, 87, 100, 500, 1000])
    func matchesRedisCLI(_ shards: Int) {
        #expect(SlotRange.all(shards: shards) == Self.redisCLI(shards))
    }

    /// Whatever M, the ranges tile 0...16383 without gap or overlap.
    @Test(arguments: Array(3...300))
    func rangesTileTheSlotSpace(_ shards: Int) {
        let ranges = SlotRange.all(shards: shards)
        #expect(ranges.first?.lower == 0)
        #expect(ranges.last?.upper == 16383)
        for (a, b) in zip(ranges, ranges.dropFirst()) { #expect(b.lower == a.upper + 1) }
        #expect(ranges.allSatisfy { $0.count >= 1 })
    }
}
