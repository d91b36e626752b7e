import Testing

@testable import JoinLogic

@Suite struct NodesConfTests {
    static let file = """
        e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca 198.18.1.2:6379@16379,rc-shard0-0.rc.demo.svc.cluster.local myself,master - 0 0 1 connected 0-5460
        67ed2db8d677e59ec4a4cefb06858cf2a1a89fa1 198.18.1.3:6379@16379,rc-shard0-1.rc.demo.svc.cluster.local slave e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca 0 1700000000001 1 connected
        292f8b365bb7edb5e285caf0b7e6ddc7265d2f4f 198.18.1.4:6379@16379,,tls-port=0,shard-id=x master - 0 1700000000000 2 connected 5461-10922
        6ec23923021cf3ffec47632106199cb7f496ce01 :6379@16379,hostname=rc-shard2-0.rc.demo.svc.cluster.local master - 0 0 3 connected 10923-16383
        vars currentEpoch 3 lastVoteEpoch 0

        """

    @Test func rewritesOnlyLinesWithAHostnameThatMoved() {
        let conf = NodesConf(text: Self.file)
        #expect(
            conf.hostnames == [
                "rc-shard0-0.rc.demo.svc.cluster.local", "rc-shard0-1.rc.demo.svc.cluster.local", "rc-shard2-0.rc.demo.svc.cluster.local",
            ])
        let moved = [
            "rc-shard0-0.rc.demo.svc.cluster.local": "198.18.1.2",  // unchanged
            "rc-shard0-1.rc.demo.svc.cluster.local": "198.18.7.7",
            "rc-shard2-0.rc.demo.svc.cluster.local": "198.18.7.9",
        ]
        let (rewritten, changes) = conf.rewritten { _, hostname in
            hostname
        } resolve: {
            moved[$0]
        }
        #expect(
            changes == [
                .init(
                    nodeID: "67ed2db8d677e59ec4a4cefb06858cf2a1a89fa1", hostname: "rc-shard0-1.rc.demo.svc.cluster.local",
                    from: "198.18.1.3", to: "198.18.7.7"),
                .init(
                    nodeID: "6ec23923021cf3ffec47632106199cb7f496ce01", hostname: "rc-shard2-0.rc.demo.svc.cluster.local", from: "",
                    to: "198.18.7.9"),
            ])
        let lines = rewritten.text.split(separator: "\n")
        #expect(
            lines[1]
                == "67ed2db8d677e59ec4a4cefb06858cf2a1a89fa1 198.18.7.7:6379@16379,rc-shard0-1.rc.demo.svc.cluster.local slave e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca 0 1700000000001 1 connected"
        )
        #expect(
            lines[3]
                == "6ec23923021cf3ffec47632106199cb7f496ce01 198.18.7.9:6379@16379,hostname=rc-shard2-0.rc.demo.svc.cluster.local master - 0 0 3 connected 10923-16383"
        )
        #expect(lines[0] == Self.file.split(separator: "\n")[0])
        #expect(lines[2] == Self.file.split(separator: "\n")[2])
        #expect(lines[4] == "vars currentEpoch 3 lastVoteEpoch 0")
        // Unresolvable names leave the file as it was.
        #expect(
            conf.rewritten { _, hostname in
                hostname
            } resolve: { _ in
                nil
            }.changes.isEmpty)
        #expect(
            conf.rewritten { _, hostname in
                hostname
            } resolve: { _ in
                nil
            }.file.text == NodesConf(text: Self.file).text)
    }

    @Test func garbageLinesAreKept() {
        let conf = NodesConf(text: "not a nodes line\nvars currentEpoch 0\n")
        #expect(conf.hostnames.isEmpty)
        #expect(
            conf.rewritten { _, _ in
                "any"
            } resolve: { _ in
                "198.18.0.1"
            }.file.text == "not a nodes line\nvars currentEpoch 0\n")
    }

    /// A 6.2 file has no hostnames: the node-ID map names the pod whose address is used.
    @Test func linesWithoutAHostnameFollowTheNodeIDMap() {
        let text = """
            67ed2db8d677e59ec4a4cefb06858cf2a1a89fa1 198.18.1.3:6379@16379 slave e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca 0 1700000000001 1 connected
            292f8b365bb7edb5e285caf0b7e6ddc7265d2f4f 198.18.1.4:6379@16379 master - 0 1700000000000 2 connected 5461-10922
            vars currentEpoch 3 lastVoteEpoch 0

            """
        let map = NodeIDMap(text: "67ed2db8d677e59ec4a4cefb06858cf2a1a89fa1 rc-shard0-1\n")
        let (rewritten, changes) = NodesConf(text: text).rewritten { id, _ in
            map.podName(of: id)
        } resolve: {
            $0 == "rc-shard0-1" ? "198.18.7.7" : nil
        }
        #expect(
            changes == [
                .init(nodeID: "67ed2db8d677e59ec4a4cefb06858cf2a1a89fa1", hostname: "rc-shard0-1", from: "198.18.1.3", to: "198.18.7.7")
            ])
        #expect(rewritten.text.split(separator: "\n")[0].hasPrefix("67ed2db8d677e59ec4a4cefb06858cf2a1a89fa1 198.18.7.7:6379@16379 slave "))
        #expect(rewritten.text.split(separator: "\n")[1] == text.split(separator: "\n")[1])
    }
}
