import Testing

@testable import JoinLogic

@Suite struct NodesConfShardIDTests {
    static let master = "e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca"
    static let replica = "67ed2db8d677e59ec4a4cefb06858cf2a1a89fa1"
    static let second = "292f8b365bb7edb5e285caf0b7e6ddc7265d2f4f"

    static func line(_ id: String, shard: String, master: String? = nil, slots: String = "") -> String {
        let flags = master == nil ? "master" : "slave"
        return "\(id) 198.18.1.2:6379@16379,rc-0.rc,tls-port=0,shard-id=\(shard) \(flags) \(master ?? "-") 0 0 1 connected\(slots)"
    }

    @Test func aReplicaTakesItsMastersShardID() {
        let text = [
            Self.line(Self.master, shard: "aaaa", slots: " 0-16383"),
            Self.line(Self.replica, shard: "bbbb", master: Self.master),
            "vars currentEpoch 1 lastVoteEpoch 0",
        ].map { $0 + "\n" }.joined()
        let (file, changes) = NodesConf(text: text).reconcilingShardIDs()
        #expect(changes == [.init(nodeID: Self.replica, masterID: Self.master, from: "bbbb", to: "aaaa")])
        #expect(file.lines[1] == Self.line(Self.replica, shard: "aaaa", master: Self.master))
        #expect(file.lines[0] == NodesConf(text: text).lines[0])
        #expect(file.lines[2] == "vars currentEpoch 1 lastVoteEpoch 0")
    }

    @Test func aReplicaBeforeItsMastersLineStillTakesTheMasters() {
        let text = [Self.line(Self.replica, shard: "bbbb", master: Self.master), Self.line(Self.master, shard: "aaaa")]
            .map { $0 + "\n" }.joined()
        let (file, changes) = NodesConf(text: text).reconcilingShardIDs()
        #expect(changes.map(\.to) == ["aaaa"])
        #expect(file.lines[0].contains("shard-id=aaaa"))
    }

    @Test func replicasOfAMasterWithoutALineAgreeOnTheFirstOnes() {
        let text = [
            Self.line(Self.replica, shard: "bbbb", master: Self.master), Self.line(Self.second, shard: "cccc", master: Self.master),
        ]
        .map { $0 + "\n" }.joined()
        let (file, changes) = NodesConf(text: text).reconcilingShardIDs()
        #expect(changes == [.init(nodeID: Self.second, masterID: Self.master, from: "cccc", to: "bbbb")])
        #expect(file.lines[1].contains("shard-id=bbbb"))
    }

    @Test func agreeingFilesAndFilesWithoutShardIDsStayAsTheyAre() {
        let agreeing = [Self.line(Self.master, shard: "aaaa"), Self.line(Self.replica, shard: "aaaa", master: Self.master)]
            .map { $0 + "\n" }.joined()
        #expect(NodesConf(text: agreeing).reconcilingShardIDs().changes.isEmpty)
        #expect(NodesConf(text: agreeing).reconcilingShardIDs().file == NodesConf(text: agreeing))
        // Redis before 7.2 writes no shard IDs.
        #expect(NodesConf(text: NodesConfTests.file).reconcilingShardIDs().file == NodesConf(text: NodesConfTests.file))
    }
}

extension NodesConfShardIDTests {
    @Test func aReplicaOfAReplicaTakesTheShardAtTheTopOfItsChain() {
        let text = [
            Self.line(Self.second, shard: "cccc", master: Self.replica), Self.line(Self.replica, shard: "bbbb", master: Self.master),
            Self.line(Self.master, shard: "aaaa"),
        ].map { $0 + "\n" }.joined()
        let (file, changes) = NodesConf(text: text).reconcilingShardIDs()
        #expect(changes.map(\.to) == ["aaaa", "aaaa"])
        #expect(file.reconcilingShardIDs().changes.isEmpty)
    }

    @Test func aCycleOfReplicasEndsWithoutAChange() {
        let text = [
            Self.line(Self.master, shard: "aaaa", master: Self.replica), Self.line(Self.replica, shard: "aaaa", master: Self.master),
        ]
        .map { $0 + "\n" }.joined()
        #expect(NodesConf(text: text).reconcilingShardIDs().changes.isEmpty)
    }
}
