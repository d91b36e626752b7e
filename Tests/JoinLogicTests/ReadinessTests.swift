import Declaration
import Testing

@testable import JoinLogic

/// The readiness probe, from the local node's view alone.
@Suite struct ReadinessTests {
    let f = Fixture()

    func view(_ pod: PodIdentity, _ lines: [String], ok: Bool = true, linkUp: Bool? = nil) -> NodeView {
        let base = f.view(pod, lines, ok: ok, local: true)
        let replication =
            linkUp.map { ReplicationInfo(isReplica: true, linkUp: $0, connectedReplicas: 0) }
            ?? ReplicationInfo(isReplica: false, linkUp: false, connectedReplicas: 1)
        return NodeView(endpoint: base.endpoint, nodes: base.nodes, info: base.info, keyCount: 0, replication: replication)
    }

    @Test func eachRoleInAHealthyCluster() {
        let master1 = f.pod(1, 0)
        let replica1 = f.pod(1, 1)
        #expect(Readiness.problem(of: view(master1, f.formedLines(myself: master1)), as: master1, in: f.topology) == nil)
        #expect(Readiness.problem(of: view(replica1, f.formedLines(myself: replica1), linkUp: true), as: replica1, in: f.topology) == nil)
        #expect(
            Readiness.problem(of: view(replica1, f.formedLines(myself: replica1), linkUp: false), as: replica1, in: f.topology)
                == "this replica has not loaded its master's data yet (master_link_status is not up)")
        #expect(
            Readiness.problem(of: view(master1, f.formedLines(myself: master1), ok: false), as: master1, in: f.topology)
                == "cluster_state is not ok (this node knows 6 nodes, 16384 slots assigned)")
    }

    /// After a failover the shard's pods swapped roles: both serve the shard, both are ready.
    @Test func swappedRolesAfterAFailoverAreReady() {
        let master1 = f.pod(1, 0)
        let replica1 = f.pod(1, 1)
        let swapped = f.formedLines(myself: master1).map { line -> String in
            if line.hasPrefix(f.id(master1)) { return f.line(master1, myself: true, role: "replica", master: replica1, epoch: 4) }
            if line.hasPrefix(f.id(replica1)) { return f.line(replica1, epoch: 4, slots: [SlotRange(5461, 10922)]) }
            return line
        }
        #expect(Readiness.problem(of: view(master1, swapped, linkUp: true), as: master1, in: f.topology) == nil)
    }

    @Test func notReadyWhileJoiningOrInTheWrongShard() {
        let master1 = f.pod(1, 0)
        let replica1 = f.pod(1, 1)
        let joining = [f.line(master1, myself: true)] + f.formedLines(myself: f.pod(0, 0)).map { $0.replacingMyself() }
        #expect(
            Readiness.problem(of: view(master1, joining), as: master1, in: f.topology)
                == "this master serves no slots yet (joining shard 1)")
        // A replica following shard 2's master.
        let wrong = f.formedLines(myself: replica1).map { line in
            line.hasPrefix(f.id(replica1)) ? f.line(replica1, myself: true, role: "replica", master: f.pod(2, 0), epoch: 3) : line
        }
        #expect(
            Readiness.problem(of: view(replica1, wrong, linkUp: true), as: replica1, in: f.topology)
                == "this replica follows \(f.id(f.pod(2, 0)).prefix(8)), which does not serve shard 1's slots")
        // After a scale change: a master serving any slots is ready; a replica of its shard's master too.
        let moved = f.formedLines(myself: replica1).map { $0.replacing("5461-10922", with: "6000-10922") }
        #expect(Readiness.problem(of: view(replica1, moved, linkUp: true), as: replica1, in: f.topology) == nil)
    }
}

extension String {
    /// The same line as another node would show it.
    fileprivate func replacingMyself() -> String {
        split(separator: " ", omittingEmptySubsequences: false).map { field in
            field.hasPrefix("myself,") ? Substring(field.dropFirst("myself,".count)) : field
        }.joined(separator: " ")
    }
}
