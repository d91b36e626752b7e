import Declaration
import Platform
import Testing

@testable import JoinLogic

/// The ordinal layout numbers pods by the shard count (`rc-k` is shard k mod M), so another M re-maps
/// pods: 3x1 -> 4x1 makes `rc-3`, shard 0's replica, shard 3's master, and `rc-4` shard 0's replica;
/// 4x1 -> 3x1 makes `rc-3`, shard 3's master, shard 0's replica, and leaves `rc-6` and `rc-7` beyond.
/// Every pod keeps serving in its old role until the creator's agent detaches or drains it.
@Suite struct OrdinalRemapTests {
    let three = Fixture(shards: 3, layout: .ordinal)
    let four = Fixture(shards: 4, layout: .ordinal)

    /// `lines` (written by `formed`) as the creator's node and every other master report them, under the
    /// declaration `declared`, every agent holding it.
    func creatorObservation(
        declared: Fixture, formed: Fixture, roster: String? = nil, extraPeers: [PodIdentity: NodeView] = [:]
    ) -> Observation {
        let creator = formed.pod(0, 0)
        let local = formed.view(creator, formed.formedLines(myself: creator), ok: true, local: true)
        var peers: [String: PeerState] = [:]
        for shard in 1..<formed.topology.shards {
            let master = formed.pod(shard, 0)
            peers[master.name] = .observed(formed.view(master, formed.formedLines(myself: master), ok: true))
        }
        for (pod, view) in extraPeers { peers[pod.name] = .observed(view) }
        let tag = roster ?? AgentRoster.tag(of: declared.topology)
        let declarations = Dictionary(uniqueKeysWithValues: declared.topology.pods.map { ($0.name, tag) })
        return Observation(
            me: declared.topology.creator, local: local, peers: peers, addresses: formed.allAddresses, nodeIDs: NodeIDMap(),
            roster: AgentRoster(declarations: declarations))
    }

    @Test func theMappingMovesPodsBetweenShards() {
        #expect(three.topology.parse(podName: "rc-3")! == (0, 1))
        #expect(four.topology.parse(podName: "rc-3")! == (3, 0))
        #expect(four.topology.parse(podName: "rc-4")! == (0, 1))
        #expect(three.topology.parse(podName: "rc-6") == nil)
    }

    @Test func aGrownDeclarationDetachesTheReplicaItNamesANewMaster() {
        let replica = three.pod(0, 1)
        let view = three.view(replica, three.formedLines(myself: replica), ok: true)
        let seen = creatorObservation(declared: four, formed: three, extraPeers: [replica: view])
        let newMaster = four.pod(3, 0)
        #expect(newMaster.name == replica.name)
        #expect(
            Planner(topology: four.topology).plan(seen)
                == .act([.detach(on: Action.Target(pod: newMaster, endpoint: three.endpoint(replica)), shard: 3, master: "rc-0")]))
        // While an agent still holds 3x1: nothing is sent.
        let disagreeing = creatorObservation(declared: four, formed: three, roster: "3x1", extraPeers: [replica: view])
        guard case .wait(let text) = Planner(topology: four.topology).plan(disagreeing) else {
            Issue.record("acted while the agents disagree")
            return
        }
        #expect(text.contains("not moving slots"))
    }

    /// `lines` (no `myself` flag) as the node `id` reports them.
    func seenBy(_ id: String, _ lines: [String]) -> [String] {
        lines.map { line in
            guard line.hasPrefix(id) else { return line }
            var fields = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            fields[2] = "myself," + fields[2]
            return fields.joined(separator: " ")
        }
    }

    /// The creator's observation of `lines`, every master's view read, every agent holding 4x1.
    func observation(of lines: [String], masters: [PodIdentity]) -> Observation {
        let creator = three.pod(0, 0)
        let local = three.view(creator, seenBy(three.id(creator), lines), ok: true, local: true)
        let peers = Dictionary(
            uniqueKeysWithValues: masters.map { ($0.name, PeerState.observed(three.view($0, seenBy(three.id($0), lines), ok: true))) })
        let declarations = Dictionary(uniqueKeysWithValues: four.topology.pods.map { ($0.name, "4x1") })
        return Observation(
            me: four.topology.creator, local: local, peers: peers, addresses: three.allAddresses, nodeIDs: NodeIDMap(),
            roster: AgentRoster(declarations: declarations))
    }

    /// The 3x1 cluster with one shard handed over to its replica (an agent of 3x1 stopping its master).
    func handedOver(_ shard: Int) -> [String] {
        let (master, replica) = (three.pod(shard, 0), three.pod(shard, 1))
        return three.formedLines(myself: three.pod(0, 0)).map { $0.replacing("myself,", with: "") }.filter {
            !$0.hasPrefix(three.id(master)) && !$0.hasPrefix(three.id(replica))
        }
            + [
                three.line(master, role: "replica", master: replica, epoch: 4),
                three.line(replica, epoch: 4, slots: [three.topology.slots(ofShard: shard)]),
            ]
    }

    @Test func aMasterHandedToAPodOfAnotherShardTakesItsSlotsBack() {
        let planner = Planner(topology: four.topology)
        // The creator handed shard 0 to rc-3, which 4x1 makes shard 3's master: the creator takes it back.
        let zero = observation(of: handedOver(0), masters: [three.pod(0, 1), three.pod(1, 0), three.pod(2, 0)])
        #expect(
            planner.plan(zero)
                == .act([.failover(on: Action.Target(pod: four.pod(0, 0), endpoint: zero.local.endpoint), shard: 0, from: "rc-3")]))
        // rc-1 handed shard 1 to rc-4, shard 0's replica in 4x1: rc-1 takes it back.
        let one = observation(of: handedOver(1), masters: [three.pod(1, 0), three.pod(1, 1), three.pod(2, 0)])
        #expect(
            planner.plan(one)
                == .act([
                    .failover(on: Action.Target(pod: four.pod(1, 0), endpoint: three.endpoint(three.pod(1, 0))), shard: 1, from: "rc-4")
                ]))
    }

    @Test func theDetachedPodIsMetAsTheNewShardsMaster() {
        let newMaster = four.pod(3, 0)
        let empty = three.view(
            three.pod(0, 1), [three.line(three.pod(0, 1), myself: true, ipKnown: false, hostname: newMaster.host, generation: 1)])
        let seen = creatorObservation(declared: four, formed: three, extraPeers: [newMaster: empty])
        #expect(
            Planner(topology: four.topology).plan(seen)
                == .act([.meet(on: four.target(four.pod(0, 0), local: true), ip: "198.18.0.2", port: 6379, busPort: 16379, peer: "rc-3")]))
    }

    @Test func eachPodKeepsItsOldRoleOrFollowsItsNewShard() {
        let planner = Planner(topology: four.topology)
        // rc-3, a replica of rc-0, declared shard 3's master: waits for the creator's agent.
        let rc3 = three.pod(0, 1)
        let local3 = three.view(rc3, three.formedLines(myself: rc3), ok: true, local: true)
        let seen3 = Observation(me: four.pod(3, 0), local: local3, peers: [:], addresses: three.allAddresses)
        guard case .wait = planner.plan(seen3) else {
            Issue.record("rc-3 acted before it was detached: \(planner.plan(seen3))")
            return
        }
        // rc-4, rc-1's replica, declared shard 0's replica: follows rc-0.
        let rc4 = three.pod(1, 1)
        let local4 = three.view(rc4, three.formedLines(myself: rc4), ok: true, local: true)
        let seen4 = Observation(me: four.pod(0, 1), local: local4, peers: [:], addresses: three.allAddresses)
        let target = Action.Target(pod: four.pod(0, 1), endpoint: local4.endpoint)
        #expect(planner.plan(seen4) == .act([.replicate(on: target, masterID: three.id(three.pod(0, 0)), master: "rc-0")]))
    }

    @Test func aShrunkDeclarationDrainsTheRemappedMaster() {
        let planner = Planner(topology: three.topology)
        let seen = creatorObservation(declared: three, formed: four)
        guard case .act(let actions) = planner.plan(seen) else {
            Issue.record("expected moves, got \(planner.plan(seen))")
            return
        }
        var received: [String: Int] = [:]
        for case .moveSlots(_, let move) in actions {
            #expect(move.source.name == "rc-3")
            received[move.destination.name, default: 0] += move.slotCount
        }
        #expect(received == ["rc-0": 1366, "rc-1": 1365, "rc-2": 1365])
        // rc-3 itself, shard 0's replica now, keeps serving until its slots are gone; the shard is rc-0's.
        let rc3 = four.pod(3, 0)
        let local = four.view(rc3, four.formedLines(myself: rc3), ok: true, local: true)
        let own = Observation(me: three.pod(0, 1), local: local, peers: [:], addresses: four.allAddresses)
        #expect(planner.plan(own) == .converged)
        #expect(planner.owner(ofShard: 0, in: own, matcher: own.matcher(three.topology))?.name == "rc-0")
    }

    @Test func aDrainedMasterFollowsItsNewShard() {
        // rc-3 gave its last slot to rc-1 and became its replica (cluster-allow-replica-migration).
        let rc3 = four.pod(3, 0)
        var lines = three.formedLines(myself: three.pod(0, 0)).map { $0.replacing("myself,", with: "") }
        lines.removeAll { $0.contains("rc-3.") }
        lines.append(four.line(rc3, myself: true, role: "replica", master: three.pod(1, 0), epoch: 2))
        let local = three.view(three.pod(0, 1), lines, ok: true, local: true)
        let own = Observation(me: three.pod(0, 1), local: local, peers: [:], addresses: three.allAddresses)
        let target = Action.Target(pod: three.pod(0, 1), endpoint: local.endpoint)
        #expect(
            Planner(topology: three.topology).plan(own)
                == .act([.replicate(on: target, masterID: three.id(three.pod(0, 0)), master: "rc-0")]))
    }

    @Test func aReplicaOfItsOldShardIsReadyOnlyInTheOrdinalLayout() throws {
        let rc3 = three.pod(0, 1)
        var view = three.view(rc3, three.formedLines(myself: rc3), ok: true, local: true)
        view = NodeView(
            endpoint: view.endpoint, nodes: view.nodes, info: view.info, keyCount: 0,
            replication: try ReplicationInfo(
                parsing: "role:slave\r\nmaster_host:198.18.0.1\r\nmaster_port:6379\r\nmaster_link_status:up\r\n"))
        #expect(Readiness.problem(of: view, as: four.pod(3, 0), in: four.topology) == nil)
        let shards = Fixture(shards: 3)
        let shardsView = shards.view(shards.pod(0, 1), shards.formedLines(myself: shards.pod(0, 1)), ok: true, local: true)
        let following = NodeView(
            endpoint: shardsView.endpoint, nodes: shardsView.nodes, info: shardsView.info, keyCount: 0, replication: view.replication)
        #expect(Readiness.problem(of: following, as: shards.pod(1, 1), in: shards.topology) != nil)
    }

    @Test func theStaticLayoutStillChangesNothing() throws {
        let peers = (0..<8).map { "redis-\($0)" }
        let topology = try Topology(
            layout: .static, name: "", service: nil, namespace: "demo", clusterDomain: "cluster.local", shards: 4, replicas: 1, port: 6379,
            peers: peers)
        let staticThree = try Topology(
            layout: .static, name: "", service: nil, namespace: "demo", clusterDomain: "cluster.local", shards: 3, replicas: 1, port: 6379,
            peers: Array(peers.prefix(6)))
        // Three masters serve every slot; the fourth declared shard serves none.
        let lines = (0..<3).map { shard in
            "\(String(repeating: "b", count: 39))\(shard) 198.18.0.\(shard + 1):6379@16379 \(shard == 0 ? "myself," : "")master - 0 0 \(shard + 1) connected \(staticThree.slots(ofShard: shard))"
        }
        let nodes = try ClusterNode.parseAll(lines.joined(separator: "\n"))
        let view = NodeView(
            endpoint: Endpoint(IPAddress("127.0.0.1")!, 6379), nodes: nodes,
            info: ClusterInfo(isOK: true, slotsAssigned: 16384, knownNodes: 3, currentEpoch: 3, myEpoch: 1), keyCount: 0)
        let addresses = Dictionary(uniqueKeysWithValues: (0..<8).map { (peers[$0], IPAddress("198.18.0.\($0 + 1)")!) })
        let seen = Observation(me: topology.pods.first { $0.name == "redis-4" }!, local: view, peers: [:], addresses: addresses)
        guard case .wait(let text) = Planner(topology: topology).plan(seen) else {
            Issue.record("the static layout acted on another shard count")
            return
        }
        #expect(text.contains("Nothing was changed"))
    }
}
