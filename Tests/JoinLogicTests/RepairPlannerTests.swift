import Declaration
import Platform
import Testing

@testable import JoinLogic

/// Repairs of a formed cluster: pods that moved, and the ghosts of pods that came back wiped.
@Suite struct RepairPlannerTests {
    let f = Fixture()
    var planner: Planner { Planner(topology: f.topology) }
    var me: PodIdentity { f.pod(0, 1) }
    var master2: PodIdentity { f.pod(2, 0) }

    /// The local node knows shard 2's master at its old address; its name now gives another, and the
    /// node there is the same node: MEET it at the new address (the handshake finds the known ID).
    @Test func movedPodIsMetAtItsNewAddress() {
        let lines = f.formedLines(myself: me).map { $0.hasPrefix(f.id(master2)) ? f.line(master2, epoch: 3, slots: [SlotRange(10923, 16383)], extraFlags: "fail?", linkDown: true) : $0 }
        let local = f.view(me, lines, local: true)
        let there = f.view(master2, [f.line(master2, myself: true, epoch: 3, slots: [SlotRange(10923, 16383)], at: "198.18.9.1")])
        let observation = f.observation(me, local: local, peers: [master2: .observed(there)], moved: [master2: "198.18.9.1"])
        #expect(planner.plan(observation) == .act([
            .meet(on: f.target(me, local: true), ip: "198.18.9.1", port: 6379, busPort: 16379, peer: "rc-shard2-0")
        ]))
    }

    /// The node at the new address is another node (the pod was wiped): no MEET from here; that pod's
    /// own agent joins it, and it would be two different nodes under one name.
    /// Every pod restarted with a new address, and this node was met (it knows its own address) before
    /// its agent looked: its entry for shard 2's master is at the old address, "connected" (a connect in
    /// progress) and not suspected. Restored from nodes.conf and unconfirmed, it is resolved all the same,
    /// the moved pod read, and met where it is now.
    @Test func restoredEntryThatLooksConnectedIsResolvedAndMet() {
        let local = f.view(me, f.formedLines(myself: me), ok: true, local: true)
        let here = IPAddress(f.ip(me))!
        #expect(!planner.namesToResolve(for: me, local: local, myAddress: here).contains(master2))
        #expect(planner.namesToResolve(for: me, local: local, myAddress: here, restored: [f.id(master2)]).contains(master2))
        var moved = f.allAddresses
        moved[master2.name] = IPAddress("198.18.9.1")!
        #expect(planner.podsToObserve(for: me, local: local, addresses: moved).contains(master2))
        let there = f.view(master2, [f.line(master2, myself: true, epoch: 3, slots: [SlotRange(10923, 16383)], at: "198.18.9.1")])
        let observation = f.observation(me, local: local, peers: [master2: .observed(there)], moved: [master2: "198.18.9.1"])
        #expect(planner.plan(observation) == .act([
            .meet(on: f.target(me, local: true), ip: "198.18.9.1", port: 6379, busPort: 16379, peer: "rc-shard2-0")
        ]))
    }

    @Test func movedPodWithANewIdentityIsNotMet() {
        let local = f.view(me, f.formedLines(myself: me), ok: true, local: true)
        let wiped = f.view(master2, [f.line(master2, myself: true, generation: 1, at: "198.18.9.1")])
        let observation = f.observation(me, local: local, peers: [master2: .observed(wiped)], moved: [master2: "198.18.9.1"])
        #expect(planner.repairs(observation).isEmpty)
    }

    @Test func movedPodNotObservedIsLeftForLater() {
        let local = f.view(me, f.formedLines(myself: me), ok: true, local: true)
        let observation = f.observation(me, local: local, peers: [master2: .unreachable(Endpoint(IPAddress("198.18.9.1")!, 6379), "refused")], moved: [master2: "198.18.9.1"])
        #expect(planner.repairs(observation).isEmpty)
    }

    /// shard 2's replica came back wiped: its old ID is failed, its new one is live under the same
    /// hostname. Forget the old one here.
    /// The local node itself restarted at a new address with its nodes.conf: it still reports the old
    /// one, for good (Redis takes its own address only from a MEET), while the creator lists it at the
    /// new one. The creator MEETs it there. Not while no peer lists it at the new address (nor with
    /// cluster-announce-ip, where peers list what the node reports), and not when it has not moved.
    @Test func aNodeThatMovedItselfIsMetWhereItIsNow() {
        let creator = f.pod(0, 0)
        let local = f.view(me, f.formedLines(myself: me), ok: true, local: true)
        #expect(local.myself.ip == "198.18.0.2")
        let seenMoved = f.view(creator, f.formedLines(myself: creator).map { line in
            line.hasPrefix(f.id(me)) ? f.line(me, role: "replica", master: creator, epoch: 1, at: "198.18.9.2") : line
        }, ok: true)
        let moved = f.observation(me, local: local, peers: [creator: .observed(seenMoved)], moved: [me: "198.18.9.2"])
        #expect(planner.plan(moved) == .act([.meet(on: f.target(creator), ip: "198.18.9.2", port: 6379, busPort: 16379, peer: "rc-shard0-1")]))
        let seenOld = f.view(creator, f.formedLines(myself: creator), ok: true)
        #expect(planner.repairs(f.observation(me, local: local, peers: [creator: .observed(seenOld)], moved: [me: "198.18.9.2"])).isEmpty)
        #expect(planner.repairs(f.observation(me, local: local, peers: [creator: .observed(seenOld)])).isEmpty)
    }

    @Test func ghostOfAWipedPodIsForgotten() {
        let replica2 = f.pod(2, 1)
        var lines = f.formedLines(myself: me).filter { !$0.hasPrefix(f.id(replica2)) }
        lines.append(f.line(replica2, role: "replica", master: master2, epoch: 3, extraFlags: "fail", linkDown: true))
        lines.append(f.line(replica2, role: "replica", master: master2, epoch: 3, generation: 1, at: "198.18.9.2"))
        let observation = f.observation(me, local: f.view(me, lines, local: true))
        #expect(planner.plan(observation) == .act([
            .forget(on: f.target(me, local: true), nodeID: f.id(replica2), pod: "rc-shard2-1")
        ]))
    }

    /// What Redis really shows once the new node took the old one's address: `noaddr`, never `fail`.
    @Test func ghostMarkedNoaddrIsForgotten() {
        let replica2 = f.pod(2, 1)
        var lines = f.formedLines(myself: me).filter { !$0.hasPrefix(f.id(replica2)) }
        lines.append("\(f.id(replica2)) :0@0,\(replica2.host) slave,noaddr \(f.id(master2)) 1 1 3 disconnected")
        lines.append(f.line(replica2, role: "replica", master: master2, epoch: 3, generation: 1))
        #expect(planner.repairs(f.observation(me, local: f.view(me, lines, local: true))) == [
            .forget(on: f.target(me, local: true), nodeID: f.id(replica2), pod: "rc-shard2-1")
        ])
    }

    /// A replica that never heard from its shard-mate's takeover still routes shard 0's slots to the wiped
    /// master's old ID (`noaddr`, same epoch as the takeover). Another view shows shard 0's replica serving
    /// them now: the stale claim is forgotten. Without that evidence it stays.
    @Test func ghostStillClaimingSlotsTheShardMateServesIsForgotten() {
        let master0 = f.pod(0, 0), replica0 = f.pod(0, 1), replica1 = f.pod(1, 1), master1 = f.pod(1, 0)
        let stale = f.formedLines(myself: replica1).filter { !$0.hasPrefix(f.id(master0)) && !$0.hasPrefix(f.id(replica0)) } + [
            "\(f.id(master0)) :0@0,\(master0.host) master,noaddr - 1 1 4 disconnected 0-5460",
            f.line(master0, role: "replica", master: replica0, epoch: 4, generation: 1),
            f.line(replica0, epoch: 4),
        ]
        let moved = f.formedLines(myself: master1).filter { !$0.hasPrefix(f.id(master0)) && !$0.hasPrefix(f.id(replica0)) } + [
            f.line(master0, role: "replica", master: replica0, epoch: 4, generation: 1),
            f.line(replica0, epoch: 4, slots: [SlotRange(0, 5460)]),
        ]
        let local = f.view(replica1, stale, ok: true, local: true)
        let forget = Action.forget(on: f.target(replica1, local: true), nodeID: f.id(master0), pod: "rc-shard0-0")
        let seen = f.observation(replica1, local: local, peers: [master1: .observed(f.view(master1, moved, ok: true))])
        #expect(planner.repairs(seen).contains(forget))
        #expect(!planner.repairs(f.observation(replica1, local: local)).contains(forget))
    }

    /// Not a ghost: only suspected (fail?), or serving slots, or the local node's own master, or with no
    /// live successor under its name.
    @Test func whatIsNotAGhost() {
        let replica2 = f.pod(2, 1)
        let successor = f.line(replica2, role: "replica", master: master2, epoch: 3, generation: 1, at: "198.18.9.2")
        let base = f.formedLines(myself: me).filter { !$0.hasPrefix(f.id(replica2)) }
        let suspected = base + [f.line(replica2, role: "replica", master: master2, epoch: 3, extraFlags: "fail?"), successor]
        #expect(planner.repairs(f.observation(me, local: f.view(me, suspected, local: true))).isEmpty)
        let alone = base + [f.line(replica2, role: "replica", master: master2, epoch: 3, extraFlags: "fail")]
        #expect(planner.repairs(f.observation(me, local: f.view(me, alone, local: true))).isEmpty)

        // Shard 0's master failed while serving slots, and came back as a new node: its old ID keeps
        // the slots until the failover moves them, so it is not forgotten yet.
        let master0 = f.pod(0, 0)
        let withSlots = f.formedLines(myself: master2).filter { !$0.hasPrefix(f.id(master0)) } + [
            f.line(master0, epoch: 1, slots: [SlotRange(0, 5460)], extraFlags: "fail"),
            f.line(master0, generation: 1, at: "198.18.9.3"),
        ]
        #expect(planner.repairs(f.observation(master2, local: f.view(master2, withSlots, local: true))).isEmpty)

        // The local replica's own master: Redis refuses to forget it.
        let ownMaster = f.formedLines(myself: me).filter { !$0.hasPrefix(f.id(master0)) } + [
            f.line(master0, epoch: 1, extraFlags: "fail"), f.line(master0, generation: 1, at: "198.18.9.3"),
        ]
        #expect(planner.repairs(f.observation(me, local: f.view(me, ownMaster, local: true))).isEmpty)
    }
}

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
        #expect(planner.repairs(f.observation(me, local: local, peers: [master0: .observed(peer)])) == [
            .forget(on: f.target(master0), nodeID: ghostID, pod: nil)
        ])
    }

    @Test func isKeptWhileItCouldStillBeSomebody() {
        let formed = f.formedLines(myself: me)
        let replica2 = f.pod(2, 1)
        // A pod without a live entry: the ghost may be that pod's node, moved.
        let missing = formed.filter { !$0.hasPrefix(f.id(replica2)) } + [ghost]
        #expect(planner.repairs(f.observation(me, local: f.view(me, missing, local: true))).isEmpty)
        let failed = formed.filter { !$0.hasPrefix(f.id(replica2)) }
            + [f.line(replica2, role: "replica", master: f.pod(2, 0), epoch: 3, extraFlags: "fail"), ghost]
        #expect(planner.repairs(f.observation(me, local: f.view(me, failed, local: true))).isEmpty)
        // Somebody's master, or serving slots: forgetting it would break replication or unassign slots.
        let followed = formed + [ghost, "\(String(repeating: "c", count: 40)) 198.18.7.7:6379@16379 slave \(ghostID) 0 0 3 connected"]
        #expect(!planner.repairs(f.observation(me, local: f.view(me, followed, local: true))).contains { action in
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
        #expect(planner.repairs(f.observation(me, local: f.view(me, f.formedLines(myself: me) + [suspected], ok: true, local: true))).isEmpty)
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
        #expect(Planner(topology: f.topology).plan(observation) == .awaitFailover(
            "waiting for shard 1's failover: its slots are still served by this pod's previous node aaaaaaaa, lost with its data"))
    }
}

@Suite struct ReplicaRepairTests {
    let f = Fixture()
    var planner: Planner { Planner(topology: f.topology) }
    var replica2: PodIdentity { f.pod(2, 1) }
    var master2: PodIdentity { f.pod(2, 0) }

    func local(_ lines: [String], replication: ReplicationInfo?, ok: Bool = true) -> NodeView {
        let view = f.view(replica2, lines, ok: ok, local: true)
        return NodeView(endpoint: view.endpoint, nodes: view.nodes, info: view.info, keyCount: 0, replication: replication)
    }

    /// The master moved and the replica's bus knows it, but it still replicates from the old address.
    @Test func staleReplicationAddressIsReset() {
        let stale = ReplicationInfo(isReplica: true, linkUp: false, connectedReplicas: 0, masterHost: "198.18.7.7", masterPort: 6379)
        let observation = f.observation(replica2, local: local(f.formedLines(myself: replica2), replication: stale))
        #expect(planner.plan(observation) == .act([.replicate(on: f.target(replica2, local: true), masterID: f.id(master2), master: "rc-shard2-0")]))

        let current = ReplicationInfo(isReplica: true, linkUp: true, connectedReplicas: 0, masterHost: "198.18.2.1", masterPort: 6379)
        #expect(planner.plan(f.observation(replica2, local: local(f.formedLines(myself: replica2), replication: current))) == .converged)
        // Syncing from the right address: not touched, whatever the link says.
        let syncing = ReplicationInfo(isReplica: true, linkUp: false, connectedReplicas: 0, masterHost: "198.18.2.1", masterPort: 6379)
        #expect(planner.plan(f.observation(replica2, local: local(f.formedLines(myself: replica2), replication: syncing))) == .converged)
    }

    /// The replica's formed view with shard 2's master `noaddr`, known to serve `slots` (or nothing).
    func linesWithVanishedMaster2(slots: String) -> [String] {
        f.formedLines(myself: replica2).map { line -> String in
            guard line.hasPrefix(f.id(master2)) else { return line }
            return "\(f.id(master2)) :0@0,\(master2.host) master,noaddr - 1 1 3 disconnected \(slots)"
        }
    }

    /// The master's pod came back wiped on its old address before any failover: Redis marks the old ID
    /// noaddr and never fails it. Its replica takes the shard over.
    @Test func vanishedMasterIsTakenOver() {
        let lines = linesWithVanishedMaster2(slots: "10923-16383")
        let wiped = f.view(master2, [f.line(master2, myself: true, ipKnown: false, generation: 1)])
        let observation = f.observation(replica2, local: local(lines, replication: nil, ok: false), peers: [master2: .observed(wiped)])
        #expect(planner.plan(observation) == .act([.takeOver(on: f.target(replica2, local: true), shard: 2)]))

        // The same node answering at the pod's address: it is not gone.
        let same = f.view(master2, [f.line(master2, myself: true, epoch: 3, slots: [SlotRange(10923, 16383)])])
        let notGone = f.observation(replica2, local: local(lines, replication: nil, ok: false), peers: [master2: .observed(same)])
        #expect(planner.replaceVanishedMaster(notGone) == nil)
        // Not observed: nothing proves it gone.
        #expect(planner.replaceVanishedMaster(f.observation(replica2, local: local(lines, replication: nil, ok: false))) == nil)
    }

    /// Found by scripts/chaos (seed 9101): the replica sees its master only `fail?`, but the creator's
    /// view has it `noaddr` (a wiped node had answered at its address before moving on), so no majority
    /// will ever mark it failed. With the pod back under another ID, the replica takes over. With nobody
    /// seeing it `noaddr`, Redis's own failover is left to come (or not: cluster-replica-no-failover).
    @Test func masterNoaddrInAnotherViewIsTakenOver() {
        let suspected = f.formedLines(myself: replica2).map { line -> String in
            guard line.hasPrefix(f.id(master2)) else { return line }
            return f.line(master2, epoch: 3, slots: [SlotRange(10923, 16383)], extraFlags: "fail?")
        }
        let creator = f.pod(0, 0)
        let creatorLines = f.formedLines(myself: creator).map { line -> String in
            guard line.hasPrefix(f.id(master2)) else { return line }
            return "\(f.id(master2)) :0@0,\(master2.host) master,noaddr - 1 1 3 disconnected 10923-16383"
        }
        let wiped = f.view(master2, [f.line(master2, myself: true, ipKnown: false, generation: 1)])
        let seen = f.observation(replica2, local: local(suspected, replication: nil, ok: true),
                                 peers: [master2: .observed(wiped), creator: .observed(f.view(creator, creatorLines, ok: true))])
        #expect(planner.plan(seen) == .act([.takeOver(on: f.target(replica2, local: true), shard: 2)]))
        let notSeen = f.observation(replica2, local: local(suspected, replication: nil, ok: true),
                                    peers: [master2: .observed(wiped), creator: .observed(f.view(creator, f.formedLines(myself: creator), ok: true))])
        #expect(planner.replaceVanishedMaster(notSeen) == nil)
    }

    /// The master died before its first ping told the replica its slots (found by scripts/chaos, seed 5071):
    /// a takeover alone would take nothing and leave the shard unserved; the replica also claims its
    /// shard's declared range, which its node sees nobody serve.
    @Test func vanishedMasterWhoseSlotsTheReplicaNeverLearnedIsReplacedWithTheDeclaredRange() {
        let lines = linesWithVanishedMaster2(slots: "")
        let wiped = f.view(master2, [f.line(master2, myself: true, ipKnown: false, generation: 1)])
        let observation = f.observation(replica2, local: local(lines, replication: nil, ok: false), peers: [master2: .observed(wiped)])
        let target = f.target(replica2, local: true)
        #expect(planner.plan(observation) == .act([.takeOver(on: target, shard: 2), .addSlots(on: target, ranges: [SlotRange(10923, 16383)])]))
    }

    /// Found by scripts/chaos (seed 9109): shard 0's replica, promoted, then restarted at a new IP, still
    /// reports its old address for itself (Redis changes it only when met there). The wiped creator must
    /// MEET it where its agent reached it, not where it says it is; its own server's view, read over
    /// loopback, keeps the address it reports.
    @Test func aMovedOwnerIsMetWhereItAnswers() {
        let creator = f.pod(0, 0)
        let promoted = f.pod(0, 1)
        let wiped = f.view(creator, [f.line(creator, myself: true, ipKnown: false, generation: 1)], local: true)
        // Others learned its new address from its PINGs; it still reports the old one for itself.
        func lines(myself: PodIdentity) -> [String] {
            [f.line(promoted, myself: myself == promoted, epoch: 4, slots: [f.topology.slots(ofShard: 0)], at: myself == promoted ? "198.18.9.7" : nil),
             f.line(f.pod(1, 0), myself: myself == f.pod(1, 0), epoch: 2, slots: [f.topology.slots(ofShard: 1)]),
             f.line(f.pod(2, 0), myself: myself == f.pod(2, 0), epoch: 3, slots: [f.topology.slots(ofShard: 2)])]
        }
        let promotedView = f.view(promoted, lines(myself: promoted))
        #expect(promotedView.reachableAddress.ip == "198.18.0.2")
        let peers: [PodIdentity: PeerState] = [
            promoted: .observed(promotedView), f.pod(1, 0): .observed(f.view(f.pod(1, 0), lines(myself: f.pod(1, 0)), keys: 3)),
            f.pod(2, 0): .observed(f.view(f.pod(2, 0), lines(myself: f.pod(2, 0)), keys: 3)),
        ]
        #expect(planner.plan(f.observation(creator, local: wiped, peers: peers)) == .act([
            .meet(on: f.target(creator, local: true), ip: "198.18.0.2", port: 6379, busPort: 16379, peer: "rc-shard0-1"),
            .replicate(on: f.target(creator, local: true), masterID: f.id(promoted), master: "rc-shard0-1"),
        ]))
        let local = f.view(promoted, [f.line(promoted, myself: true, epoch: 4, slots: [f.topology.slots(ofShard: 0)], at: "198.18.9.7")], local: true)
        #expect(local.reachableAddress.ip == "198.18.9.7")
    }

    /// Found by the proving ground (test_foreign_nodes_conf_is_refused_untouched): a pod whose volume holds
    /// another cluster's nodes.conf serves that cluster's slots under its names. A fresh creator must not
    /// take it for shard 0's owner and MEET it where it answers.
    @Test func aNodeOfAnotherClusterIsNeverFollowedOrMet() {
        let creator = f.pod(0, 0)
        let stranger = f.pod(2, 0)
        // Its agent has already given it our pod's hostname; its nodes.conf still names the other cluster's.
        let foreign = f.view(stranger, [
            "1111111111111111111111111111111111111111 198.18.200.1:6379@16379,\(stranger.host) myself,master - 0 0 1 connected 0-16383",
            "2222222222222222222222222222222222222222 198.18.200.2:6379@16379,cache-1.cache.prod.svc.cluster.local slave 1111111111111111111111111111111111111111 0 0 1 connected",
        ])
        let observation = f.observation(creator, local: f.virgin(creator, local: true),
                                        peers: [stranger: .observed(foreign), f.pod(1, 0): .observed(f.virgin(f.pod(1, 0)))])
        // The creator waits (it must not refuse, and stop, for a stranger's sake).
        guard case .wait(let reason) = planner.plan(observation) else { Issue.record("expected a wait"); return }
        #expect(reason.hasPrefix("not creating the cluster: rc-shard2-0"))
        #expect(planner.owner(ofShard: 0, in: observation, matcher: observation.matcher(f.topology)) == nil)
        #expect(MeetSafety.problem(local: f.virgin(creator, local: true), remote: foreign, matcher: observation.matcher(f.topology))
            == "node 22222222 (cache-1.cache.prod.svc.cluster.local) belongs to another cluster")
    }
}

