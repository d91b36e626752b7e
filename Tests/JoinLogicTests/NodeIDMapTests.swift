import Declaration
import Platform
import Testing

@testable import JoinLogic

/// The node-ID -> pod map, and the repairs it makes possible on servers that announce no hostname
/// (Redis 6.2): there a node shows only as an IP, which says nothing once pods moved.
@Suite struct NodeIDMapTests {
    let f = Fixture()
    var planner: Planner { Planner(topology: f.topology) }
    var me: PodIdentity { f.pod(0, 1) }
    var master2: PodIdentity { f.pod(2, 0) }
    var replica2: PodIdentity { f.pod(2, 1) }

    /// What a 6.2 node reports: no hostname on any line.
    func formedWithoutHostnames(myself: PodIdentity) -> [String] { f.formedLines(myself: myself, hostnames: false) }

    @Test func fileTextRoundTripsSortedAndSkipsWhatIsNotALine() {
        let text = """
            \(f.id(master2)) rc-shard2-0
            # a comment
            \(f.id(f.pod(0, 0))) rc-shard0-0
            not-an-id rc-shard1-0
            \(f.id(replica2)) rc-shard2-1 extra-field

            """
        let map = NodeIDMap(text: text)
        #expect(map.podNames == [f.id(master2): "rc-shard2-0", f.id(f.pod(0, 0)): "rc-shard0-0"])
        #expect(map.text == "\(f.id(f.pod(0, 0))) rc-shard0-0\n\(f.id(master2)) rc-shard2-0\n")
        #expect(NodeIDMap(text: map.text) == map)
        #expect(NodeIDMap(text: "").podNames.isEmpty)
        // CRLF line ends and names with control or non-ASCII characters (scripts/fuzz NodesConf found a
        // name ending in \r that made the map read back differently from what it wrote).
        let crlf = NodeIDMap(text: "\(f.id(master2)) rc-shard2-0\r\n\(f.id(replica2)) rc-sh\u{0}ard2-1\n\(f.id(me)) rc-shärd0-1\n")
        #expect(crlf.podNames == [f.id(master2): "rc-shard2-0"])
        #expect(NodeIDMap(text: crlf.text) == crlf)
    }

    /// It records the local node and every peer that answered at its pod's address, and drops IDs no
    /// node seen knows any more.
    @Test func learnsWhatAnsweredAndForgetsWhatNobodyKnows() {
        let local = f.view(me, formedWithoutHostnames(myself: me), ok: true, local: true)
        let peer = f.view(master2, formedWithoutHostnames(myself: master2), ok: true)
        let stale = NodeIDMap(text: "\(f.id(replica2, generation: 7)) rc-shard2-1\n")
        let learned = stale.learning(
            from: f.observation(
                me, local: local, peers: [master2: .observed(peer), replica2: .unreachable(f.endpoint(replica2), "refused")], nodeIDs: stale
            ), topology: f.topology)
        #expect(learned.podNames == [f.id(me): "rc-shard0-1", f.id(master2): "rc-shard2-0"])
    }

    /// It records every node a view lists under one of our hostnames (the node's own word), never a
    /// hostname that is not declared; a peer's answer at its address outweighs another's listing.
    @Test func learnsTheNodesViewsListByHostname() {
        let foreign =
            "cccccccccccccccccccccccccccccccccccccccc 198.18.9.9:6379@16379,stranger.other.svc.cluster.local master - 0 0 9 connected"
        let local = f.view(me, formedWithoutHostnames(myself: me) + [foreign], ok: true, local: true)
        let peer = f.view(master2, f.formedLines(myself: master2), ok: true)
        let learned = NodeIDMap().learning(from: f.observation(me, local: local, peers: [master2: .observed(peer)]), topology: f.topology)
        #expect(learned.podNames == Dictionary(uniqueKeysWithValues: f.topology.pods.map { (f.id($0), $0.name) }))
    }

    /// A restored entry that lists a moved pod by its old address alone (Redis had not saved its hostname
    /// before the restart): named once the map learns its ID from a peer that lists it by hostname, it is
    /// kept to confirm and resolved; before, nothing named it, and it was dropped unchecked.
    @Test func aNamelessRestoredEntryIsNamedByAPeersHostname() {
        let master1 = f.pod(1, 0)
        let lines = f.formedLines(myself: me).map {
            $0.hasPrefix(f.id(replica2)) ? f.line(replica2, role: "replica", master: master2, hostname: nil) : $0
        }
        let local = f.view(me, lines, ok: true, local: true)
        var restored = RestoredEntries()
        restored.record(local)
        let peer = f.view(master1, f.formedLines(myself: master1), ok: true)
        let unnamed = f.observation(me, local: local, peers: [master1: .observed(peer)], moved: [replica2: "198.18.9.2"])
        var dropped = restored
        dropped.confirm(unnamed, topology: f.topology)
        #expect(!dropped.unconfirmed.contains(f.id(replica2)))
        let map = NodeIDMap().learning(from: unnamed, topology: f.topology)
        let named = f.observation(me, local: local, peers: [master1: .observed(peer)], moved: [replica2: "198.18.9.2"], nodeIDs: map)
        restored.confirm(named, topology: f.topology)
        #expect(restored.unconfirmed == [f.id(replica2)])
        #expect(
            planner.namesToResolve(for: me, local: local, myAddress: IPAddress(f.ip(me))!, nodeIDs: map, restored: restored.unconfirmed)
                .contains(replica2))
    }

    /// Every IP changed and the nodes announce no hostname: the map still says which pod the stale
    /// entry is, so it is met at the pod's new address. Without the map nothing can be told.
    @Test func movedPodWithoutHostnameIsMetByItsRecordedID() {
        let lines = formedWithoutHostnames(myself: me)
        let local = f.view(me, lines, local: true)
        let there = f.view(
            master2,
            [
                f.line(master2, myself: true, epoch: 3, slots: [SlotRange(10923, 16383)], hostname: nil, at: "198.18.9.1"),
                f.line(me, role: "replica", master: f.pod(0, 0), epoch: 1, hostname: nil),
            ])
        let seen = f.observation(me, local: local, peers: [master2: .observed(there)], moved: [master2: "198.18.9.1"], nodeIDs: f.nodeIDs())
        #expect(
            planner.repairs(seen) == [
                .meet(on: f.target(me, local: true), ip: "198.18.9.1", port: 6379, busPort: 16379, peer: "rc-shard2-0")
            ])
        #expect(planner.podsToObserve(for: me, local: local, addresses: seen.addresses, nodeIDs: f.nodeIDs()).contains(master2))
        let unmapped = f.observation(me, local: local, peers: [master2: .observed(there)], moved: [master2: "198.18.9.1"])
        #expect(planner.repairs(unmapped).isEmpty)
    }

    /// A pod's old ID is forgotten only when the map (or a hostname) says whose it was: an address that
    /// belonged to a gone node may belong to another pod by now.
    @Test func ghostWithoutHostnameIsForgottenOnlyByItsRecordedID() {
        var lines = formedWithoutHostnames(myself: me).filter { !$0.hasPrefix(f.id(replica2)) }
        lines.append("\(f.id(replica2)) :0@0 slave,noaddr \(f.id(master2)) 1 1 3 disconnected")
        lines.append(f.line(replica2, role: "replica", master: master2, epoch: 3, hostname: nil, generation: 1))
        let local = f.view(me, lines, local: true)
        #expect(
            planner.repairs(f.observation(me, local: local, nodeIDs: f.nodeIDs())) == [
                .forget(on: f.target(me, local: true), nodeID: f.id(replica2), pod: "rc-shard2-1")
            ])
        // The old ID at an address that now resolves to the pod is still not proof: no map, no FORGET.
        var byAddress = formedWithoutHostnames(myself: me).filter { !$0.hasPrefix(f.id(replica2)) }
        byAddress.append(f.line(replica2, role: "replica", master: master2, epoch: 3, extraFlags: "fail", hostname: nil, linkDown: true))
        byAddress.append(f.line(replica2, role: "replica", master: master2, epoch: 3, hostname: nil, generation: 1, at: "198.18.9.2"))
        #expect(planner.repairs(f.observation(me, local: f.view(me, byAddress, local: true))).isEmpty)
    }

    /// A peer that still lists a ghost is told to forget it too: its own agent may never have known
    /// the old ID (a node that was wiped itself and learned the ghost by gossip).
    @Test func ghostIsForgottenOnPeersThatStillListIt() {
        let local = f.view(
            me,
            f.formedLines(myself: me).map {
                $0.hasPrefix(f.id(replica2)) ? f.line(replica2, role: "replica", master: master2, epoch: 3, generation: 1) : $0
            }, ok: true, local: true)
        let peerLines =
            f.formedLines(myself: master2).filter { !$0.hasPrefix(f.id(replica2)) } + [
                f.line(replica2, role: "replica", master: master2, epoch: 3, extraFlags: "fail", linkDown: true),
                f.line(replica2, role: "replica", master: master2, epoch: 3, generation: 1, at: "198.18.9.2"),
            ]
        let peer = f.view(master2, peerLines, ok: true)
        #expect(
            planner.repairs(f.observation(me, local: local, peers: [master2: .observed(peer)])) == [
                .forget(on: f.target(master2), nodeID: f.id(replica2), pod: "rc-shard2-1")
            ])
        // Not where it is only suspected (`fail?`): that node has not agreed it is gone.
        let suspecting = f.view(
            master2,
            peerLines.map {
                $0.hasPrefix(f.id(replica2) + " ") ? f.line(replica2, role: "replica", master: master2, epoch: 3, extraFlags: "fail?") : $0
            }, ok: true)
        #expect(planner.repairs(f.observation(me, local: local, peers: [master2: .observed(suspecting)])).isEmpty)
    }

    /// Nodes known only by address are read once, so the map learns them while their address is true.
    @Test func nodesKnownOnlyByAddressAreObservedUntilRecorded() {
        let local = f.view(f.pod(1, 1), formedWithoutHostnames(myself: f.pod(1, 1)), ok: true, local: true)
        let all = Set(f.topology.pods.filter { $0 != f.pod(1, 1) }.map(\.name))
        #expect(Set(planner.podsToObserve(for: f.pod(1, 1), local: local, addresses: f.allAddresses).map(\.name)) == all)
        #expect(
            Set(planner.podsToObserve(for: f.pod(1, 1), local: local, addresses: f.allAddresses, nodeIDs: f.nodeIDs()).map(\.name))
                == ["rc-shard1-0", "rc-shard0-0"])
    }

    /// A wiped master's wait for its failover is bounded by the agent only when it holds no keys.
    @Test func failoverWaitIsBoundedOnlyForAnEmptyNode() {
        let master1 = f.pod(1, 0)
        let creatorView = f.view(f.pod(0, 0), f.formedLines(myself: f.pod(0, 0)), ok: true)
        for keys in [0, 3] {
            let wiped = f.view(master1, [f.line(master1, myself: true, ipKnown: false, generation: 1)], keys: keys, local: true)
            let decision = planner.plan(f.observation(master1, local: wiped, peers: [f.pod(0, 0): .observed(creatorView)]))
            let text = "waiting for shard 1's failover: its slots are still served by this pod's previous node aaaaaaaa, lost with its data"
            #expect(decision == (keys == 0 ? .awaitFailover(text) : .wait(text)))
        }
    }
}
