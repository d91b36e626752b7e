import Declaration
import Platform
import Testing

@testable import JoinLogic

@Suite struct ClusterHealthTests {
    let f = Fixture()

    func states(_ transform: (PodIdentity, NodeView) -> PeerState = { .observed($1) }) -> [String: PeerState] {
        var states: [String: PeerState] = [:]
        for pod in f.topology.pods {
            let base = f.view(pod, f.formedLines(myself: pod), ok: true)
            let replication = ReplicationInfo(
                isReplica: pod.ordinal > 0, linkUp: pod.ordinal > 0, connectedReplicas: pod.ordinal == 0 ? 1 : 0)
            let view = NodeView(endpoint: base.endpoint, nodes: base.nodes, info: base.info, keyCount: 0, replication: replication)
            states[pod.name] = transform(pod, view)
        }
        return states
    }

    @Test func healthyCluster() {
        let health = ClusterHealth.assess(topology: f.topology, states: states(), addresses: f.allAddresses)
        #expect(health.isHealthy)
        #expect(health.pods.map(\.role) == ["master", "replica", "master", "replica", "master", "replica"])
        #expect(health.pods[1].following == "rc-shard0-0")
    }

    @Test func unreachablePodAndUnsyncedReplica() {
        let broken = states { pod, view in
            if pod == f.pod(2, 1) { return .unreachable(f.endpoint(pod), "connect: Connection refused") }
            if pod == f.pod(1, 1) {
                return .observed(
                    NodeView(
                        endpoint: view.endpoint, nodes: view.nodes, info: view.info, keyCount: 0,
                        replication: ReplicationInfo(isReplica: true, linkUp: false, connectedReplicas: 0)))
            }
            return .observed(view)
        }
        let health = ClusterHealth.assess(topology: f.topology, states: broken, addresses: f.allAddresses)
        #expect(!health.isHealthy)
        #expect(health.pods[5].problems == ["not answering: connect: Connection refused"])
        #expect(health.pods[3].problems == ["replication link is down (sync not finished)"])
        #expect(health.pods[0].problems.isEmpty)
    }

    @Test func replicaOfTheWrongShard() {
        let wrong = states { pod, view in
            guard pod == f.pod(1, 1) else { return .observed(view) }
            var lines = f.formedLines(myself: pod)
            lines[0] = f.line(pod, myself: true, role: "replica", master: f.pod(2, 0), epoch: 3)
            let moved = f.view(pod, lines, ok: true)
            return .observed(
                NodeView(endpoint: moved.endpoint, nodes: moved.nodes, info: moved.info, keyCount: 0, replication: view.replication))
        }
        let health = ClusterHealth.assess(topology: f.topology, states: wrong, addresses: f.allAddresses)
        #expect(health.pods[3].problems == ["replicates rc-shard2-0, not shard 1's master"])
    }

    /// A node that lists a pod at an address the pod no longer reports for itself (it moved, and this node
    /// has not heard from it there yet) is not healthy: clients it answers would be sent there.
    @Test func entryAtAnOldAddressIsNotHealthy() {
        let mover = f.pod(2, 1)
        let stale = states { pod, view in
            var lines = f.formedLines(myself: pod)
            if pod == mover {
                lines[0] = f.line(mover, myself: true, role: "replica", master: f.pod(2, 0), at: "198.18.9.1")
            } else if pod != f.pod(1, 0) {
                lines = lines.map { $0.hasPrefix(f.id(mover)) ? f.line(mover, role: "replica", master: f.pod(2, 0), at: "198.18.9.1") : $0 }
            }
            let moved = f.view(pod, lines, ok: true)
            return .observed(
                NodeView(endpoint: moved.endpoint, nodes: moved.nodes, info: moved.info, keyCount: 0, replication: view.replication))
        }
        var addresses = f.allAddresses
        addresses[mover.name] = IPAddress("198.18.9.1")!
        let health = ClusterHealth.assess(topology: f.topology, states: stale, addresses: addresses)
        #expect(health.pods[2].problems == ["lists rc-shard2-1 at 198.18.2.2, where it reports itself at 198.18.9.1"])
        #expect(health.pods.enumerated().allSatisfy { $0.offset == 2 || $0.element.problems.isEmpty })
    }

    /// Right after a replica joins, others know of it by gossip only: no link, no master. Not healthy yet.
    @Test func gossipOnlyEntryIsNotHealthy() {
        let lagging = states { pod, view in
            guard pod == f.pod(2, 1) else { return .observed(view) }
            let lines = f.formedLines(myself: pod).map { line -> String in
                guard line.hasPrefix(f.id(f.pod(1, 1))) else { return line }
                return "\(f.id(f.pod(1, 1))) 198.18.1.2:6379@16379,\(f.pod(1, 1).host) slave - 0 0 0 disconnected"
            }
            let seen = f.view(pod, lines, ok: true)
            return .observed(
                NodeView(endpoint: seen.endpoint, nodes: seen.nodes, info: seen.info, keyCount: 0, replication: view.replication))
        }
        let health = ClusterHealth.assess(topology: f.topology, states: lagging, addresses: f.allAddresses)
        #expect(!health.isHealthy)
        #expect(health.pods[5].problems == ["has no bus link to rc-shard1-1 yet", "sees rc-shard1-1 replicating nobody yet"])
    }

    /// A replica that was briefly a master (met before it replicated), still shown as a master with a
    /// bumped epoch by a node it has not pinged since: not healthy yet (the proving ground's oracle
    /// caught `status` calling this healthy).
    @Test func staleRoleInAnotherNodesViewIsNotHealthy() {
        let replica0 = f.pod(0, 1)
        let stale = states { pod, view in
            guard pod == f.pod(1, 1) else { return .observed(view) }
            let lines = f.formedLines(myself: pod).map { $0.hasPrefix(f.id(replica0)) ? f.line(replica0, epoch: 4) : $0 }
            let old = f.view(pod, lines, ok: true)
            return .observed(NodeView(endpoint: old.endpoint, nodes: old.nodes, info: old.info, keyCount: 0, replication: view.replication))
        }
        let health = ClusterHealth.assess(topology: f.topology, states: stale, addresses: f.allAddresses)
        #expect(!health.isHealthy)
        #expect(health.pods[3].problems == ["sees rc-shard0-1 as a master, which it no longer is"])
    }

    /// After a scale change ranges are no fresh split: any balanced map is healthy, an unbalanced one or
    /// a slot left open is not, and the pods scaled away show as draining, drained or gone.
    @Test func balancedMapsAndLeavingPods() {
        let four = Fixture(shards: 4)
        // Shard 1 serves 5461-10922 minus a slot; shard 0 has it: still within one slot of 5461.
        let moved = states { pod, view in
            let lines = f.formedLines(myself: pod).map { line in
                line.hasPrefix(f.id(f.pod(0, 0)))
                    ? line.replacing("0-5460", with: "0-5461") : line.replacing("5461-10922", with: "5462-10922")
            }
            let base = f.view(pod, lines, ok: true)
            return .observed(
                NodeView(endpoint: base.endpoint, nodes: base.nodes, info: base.info, keyCount: 0, replication: view.replication))
        }
        #expect(ClusterHealth.assess(topology: f.topology, states: moved, addresses: f.allAddresses).isHealthy)
        // A leaving shard still serving slots, seen by every pod; one of its pods gone.
        let leaving = states { pod, view in
            let lines =
                f.formedLines(myself: pod).map { $0.replacing("10923-16383", with: "10923-12000") } + [
                    four.line(four.pod(3, 0), epoch: 4, slots: [SlotRange(12001, 16383)]),
                    four.line(four.pod(3, 1), role: "replica", master: four.pod(3, 0), epoch: 4, extraFlags: "fail"),
                ]
            let base = f.view(pod, lines, ok: true)
            return .observed(
                NodeView(endpoint: base.endpoint, nodes: base.nodes, info: base.info, keyCount: 0, replication: view.replication))
        }
        let health = ClusterHealth.assess(topology: f.topology, states: leaving, addresses: f.allAddresses)
        #expect(!health.isHealthy)
        #expect(health.leaving.map(\.podName) == ["rc-shard3-0", "rc-shard3-1"])
        #expect(health.leaving.map(\.state) == ["draining", "gone"])
        #expect(health.pods[4].problems.contains("serves 1078 slots, not 5461 or 5462 (3 shards balanced): slots are still to move"))
        #expect(ClusterHealth.LeavingReport(podName: "x", nodeID: "y", slotCount: 0, failing: false).state == "drained")
    }

    @Test func aPodTheOrdinalLayoutMovedIsNamedWhileItDrains() {
        // Formed as 4x1, declared 3x1: rc-3 (shard 3's master) is shard 0's replica now, beside rc-0.
        let (three, four) = (Fixture(shards: 3, layout: .ordinal), Fixture(shards: 4, layout: .ordinal))
        var states: [String: PeerState] = [:]
        for pod in four.topology.pods where three.topology.pod(named: pod.name) != nil {
            states[pod.name] = .observed(four.view(pod, four.formedLines(myself: pod), ok: true))
        }
        let health = ClusterHealth.assess(topology: three.topology, states: states, addresses: four.allAddresses)
        let rc0 = health.pods.first { $0.pod.name == "rc-0" }!
        let rc3 = health.pods.first { $0.pod.name == "rc-3" }!
        #expect(rc0.problems.contains("serves 4096 slots, not 5461 or 5462 (3 shards balanced): slots are still to move"))
        #expect(
            rc3.problems.contains(
                "serves 4096 slots, but shard 0, where the declaration puts this pod, has its master: they move to the others, then this pod follows it"
            ))
        #expect(health.leaving.map(\.podName) == ["rc-6", "rc-7"])
    }
}
