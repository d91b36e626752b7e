import Declaration
import Testing

@testable import JoinLogic

/// Full syncs from the local server are held until its place is settled; an empty master's first
/// sync starts at once; then the normal delay.
@Suite struct SyncHoldTests {
    let f = Fixture()

    func local(_ lines: [String], keys: Int = 0, online: Int = 0) -> NodeView {
        let view = f.view(f.pod(1, 0), lines, keys: keys, local: true)
        return NodeView(
            endpoint: view.endpoint, nodes: view.nodes, info: view.info, keyCount: keys,
            replication: ReplicationInfo(
                isReplica: view.myself.flags.replica, linkUp: false, connectedReplicas: online, onlineReplicas: online))
    }

    var wiped: NodeView { local([f.line(f.pod(1, 0), myself: true, ipKnown: false, generation: 1)]) }
    var emptyMaster: NodeView { local(f.formedLines(myself: f.pod(1, 0))) }

    /// The hazard: a wiped node, back at its old address, is never released while it waits.
    @Test func aWipedNodeStaysHeldUntilItReplicates() {
        #expect(SyncHold.held.next(local: wiped, declaredReplicas: 1, normalDelay: "5") == (.held, nil))
        let metButNotPlaced = local(
            [f.line(f.pod(1, 0), myself: true, generation: 1)] + [f.line(f.pod(0, 0), epoch: 1, slots: [SlotRange(0, 5460)])])
        #expect(SyncHold.held.next(local: metButNotPlaced, declaredReplicas: 1, normalDelay: "5") == (.held, nil))
        let replica = local([
            f.line(f.pod(1, 0), myself: true, role: "replica", master: f.pod(1, 1), generation: 1),
            f.line(f.pod(1, 1), epoch: 4, slots: [SlotRange(5461, 10922)]),
        ])
        #expect(SyncHold.held.next(local: replica, declaredReplicas: 1, normalDelay: "5") == (.done, "5"))
        #expect(SyncHold.untouched.next(local: replica, declaredReplicas: 1, normalDelay: "5") == (.done, nil))
    }

    @Test func anEmptyMasterSyncsItsReplicasAtOnceThenTheNormalDelay() {
        #expect(SyncHold.held.next(local: emptyMaster, declaredReplicas: 1, normalDelay: "5") == (.quick, "0"))
        #expect(SyncHold.untouched.next(local: emptyMaster, declaredReplicas: 1, normalDelay: "5") == (.quick, "0"))
        #expect(SyncHold.quick.next(local: emptyMaster, declaredReplicas: 1, normalDelay: "5") == (.quick, nil))
        #expect(
            SyncHold.quick.next(local: local(f.formedLines(myself: f.pod(1, 0)), online: 1), declaredReplicas: 1, normalDelay: "5") == (
                .done, "5"
            ))
        #expect(
            SyncHold.quick.next(local: local(f.formedLines(myself: f.pod(1, 0)), keys: 3), declaredReplicas: 1, normalDelay: "5") == (
                .done, "5"
            ))
        #expect(SyncHold.done.next(local: emptyMaster, declaredReplicas: 1, normalDelay: "5") == (.done, nil))
    }

    /// A master that restarted with its data, or a cluster without replicas: the normal delay at once.
    @Test func aMasterWithDataOrNoReplicasGetsTheNormalDelay() {
        let withData = local(f.formedLines(myself: f.pod(1, 0)), keys: 10)
        #expect(SyncHold.held.next(local: withData, declaredReplicas: 1, normalDelay: "5") == (.done, "5"))
        #expect(SyncHold.held.next(local: emptyMaster, declaredReplicas: 0, normalDelay: "7") == (.done, "7"))
    }
}
