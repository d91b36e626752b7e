import Declaration
import Platform
import Testing

@testable import JoinLogic

/// A `noaddr` ghost nothing names (found by scripts/chaos: a replica kept, for good, the old ID of another
/// shard's wiped replica, which only that shard's agent had known).
@Suite struct NamelessGhostTests {
    let f = Fixture()
    var planner: Planner { Planner(topology: f.topology) }
    var me: PodIdentity { f.pod(0, 1) }
    let ghostID = "8e1ecd2eaafc28b0d9f60addfde7f774fe158381"
    var ghost: String { "\(ghostID) :0@0 slave,noaddr - 1 1 0 disconnected" }

    @Test func isForgottenWhenEveryPodIsAccountedFor() {
        let local = f.view(me, f.formedLines(myself: me) + [ghost], ok: true, local: true)
        let forget = Action.forget(on: f.target(me, local: true), nodeID: ghostID, pod: nil)
        #expect(planner.plan(f.observation(me, local: local)) == .act([forget]))
        #expect(forget.description.hasPrefix("forget node ID 8e1ecd2e on "))
        // Without hostnames (Redis 6.2), pods are accounted for by their addresses.
        let bare = f.view(me, f.formedLines(myself: me, hostnames: false) + [ghost], ok: true, local: true)
        #expect(planner.repairs(f.observation(me, local: bare)) == [forget])
    }

    @Test func isForgottenOnAPeerThatListsIt() {
        let master0 = f.pod(0, 0)
        let local = f.view(me, f.formedLines(myself: me), ok: true, local: true)
        let peer = f.view(master0, f.formedLines(myself: master0) + [ghost], ok: true)
        #expect(
            planner.repairs(f.observation(me, local: local, peers: [master0: .observed(peer)])) == [
                .forget(on: f.target(master0), nodeID: ghostID, pod: nil)
            ])
    }

    @Test func isKeptWhileItCouldStillBeSomebody() {
        let formed = f.formedLines(myself: me)
        let replica2 = f.pod(2, 1)
        // A pod without a live entry: the ghost may be that pod's node, moved.
        let missing = formed.filter { !$0.hasPrefix(f.id(replica2)) } + [ghost]
        #expect(planner.repairs(f.observation(me, local: f.view(me, missing, local: true))).isEmpty)
        let failed =
            formed.filter { !$0.hasPrefix(f.id(replica2)) }
            + [f.line(replica2, role: "replica", master: f.pod(2, 0), epoch: 3, extraFlags: "fail"), ghost]
        #expect(planner.repairs(f.observation(me, local: f.view(me, failed, local: true))).isEmpty)
        // Somebody's master, or serving slots: forgetting it would break replication or unassign slots.
        let followed = formed + [ghost, "\(String(repeating: "c", count: 40)) 198.18.7.7:6379@16379 slave \(ghostID) 0 0 3 connected"]
        #expect(
            !planner.repairs(f.observation(me, local: f.view(me, followed, local: true))).contains { action in
                if case .forget(_, let id, _) = action { return id == ghostID }
                return false
            })
        let serving = "\(ghostID) :0@0 master,noaddr - 1 1 9 disconnected 100-200"
        #expect(planner.repairs(f.observation(me, local: f.view(me, formed + [serving], local: true))).isEmpty)
    }

    /// Failed rather than `noaddr`, learned by gossip without a hostname (found by the proving ground: a wiped
    /// node learned its own old ID this way, after its map went with the volume): forgotten the same way.
    @Test func failedNamelessGhostIsForgottenToo() {
        let failed = "\(ghostID) 198.18.7.7:6379@16379 master,fail - 1 1 0 connected"
        let local = f.view(me, f.formedLines(myself: me) + [failed], ok: true, local: true)
        #expect(planner.repairs(f.observation(me, local: local)) == [.forget(on: f.target(me, local: true), nodeID: ghostID, pod: nil)])
        // Only suspected: not a ghost yet.
        let suspected = "\(ghostID) 198.18.7.7:6379@16379 master,fail? - 1 1 0 connected"
        #expect(
            planner.repairs(f.observation(me, local: f.view(me, f.formedLines(myself: me) + [suspected], ok: true, local: true))).isEmpty)
    }
}

@Suite struct WipedPodPlannerTests {
    let f = Fixture()

    /// A master wiped and back on its old address before the failover: its shard's slots are still
    /// served, in the others' eyes, by its own previous node. It must not follow itself; it waits.
    @Test func wipedMasterWaitsForTheFailoverOfItsOwnOldIdentity() {
        let master1 = f.pod(1, 0)
        let wiped = f.view(master1, [f.line(master1, myself: true, ipKnown: false, generation: 1)], local: true)
        let creatorView = f.view(f.pod(0, 0), f.formedLines(myself: f.pod(0, 0)), ok: true)
        let observation = f.observation(master1, local: wiped, peers: [f.pod(0, 0): .observed(creatorView)])
        #expect(
            Planner(topology: f.topology).plan(observation)
                == .awaitFailover(
                    "waiting for shard 1's failover: its slots are still served by this pod's previous node aaaaaaaa, lost with its data"))
    }
}
