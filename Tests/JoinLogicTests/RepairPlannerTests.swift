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
        let lines = f.formedLines(myself: me).map {
            $0.hasPrefix(f.id(master2))
                ? f.line(master2, epoch: 3, slots: [SlotRange(10923, 16383)], extraFlags: "fail?", linkDown: true) : $0
        }
        let local = f.view(me, lines, local: true)
        let there = f.view(master2, [f.line(master2, myself: true, epoch: 3, slots: [SlotRange(10923, 16383)], at: "198.18.9.1")])
        let observation = f.observation(me, local: local, peers: [master2: .observed(there)], moved: [master2: "198.18.9.1"])
        #expect(
            planner.plan(observation)
                == .act([
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
        #expect(
            planner.plan(observation)
                == .act([
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
        let observation = f.observation(
            me, local: local, peers: [master2: .unreachable(Endpoint(IPAddress("198.18.9.1")!, 6379), "refused")],
            moved: [master2: "198.18.9.1"])
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
        let seenMoved = f.view(
            creator,
            f.formedLines(myself: creator).map { line in
                line.hasPrefix(f.id(me)) ? f.line(me, role: "replica", master: creator, epoch: 1, at: "198.18.9.2") : line
            }, ok: true)
        let moved = f.observation(me, local: local, peers: [creator: .observed(seenMoved)], moved: [me: "198.18.9.2"])
        #expect(
            planner.plan(moved) == .act([.meet(on: f.target(creator), ip: "198.18.9.2", port: 6379, busPort: 16379, peer: "rc-shard0-1")]))
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
        #expect(
            planner.plan(observation)
                == .act([
                    .forget(on: f.target(me, local: true), nodeID: f.id(replica2), pod: "rc-shard2-1")
                ]))
    }

    /// What Redis really shows once the new node took the old one's address: `noaddr`, never `fail`.
    @Test func ghostMarkedNoaddrIsForgotten() {
        let replica2 = f.pod(2, 1)
        var lines = f.formedLines(myself: me).filter { !$0.hasPrefix(f.id(replica2)) }
        lines.append("\(f.id(replica2)) :0@0,\(replica2.host) slave,noaddr \(f.id(master2)) 1 1 3 disconnected")
        lines.append(f.line(replica2, role: "replica", master: master2, epoch: 3, generation: 1))
        #expect(
            planner.repairs(f.observation(me, local: f.view(me, lines, local: true))) == [
                .forget(on: f.target(me, local: true), nodeID: f.id(replica2), pod: "rc-shard2-1")
            ])
    }

    /// A replica that never heard from its shard-mate's takeover still routes shard 0's slots to the wiped
    /// master's old ID (`noaddr`, same epoch as the takeover). Another view shows shard 0's replica serving
    /// them now: the stale claim is forgotten. Without that evidence it stays.
    @Test func ghostStillClaimingSlotsTheShardMateServesIsForgotten() {
        let master0 = f.pod(0, 0), replica0 = f.pod(0, 1), replica1 = f.pod(1, 1), master1 = f.pod(1, 0)
        let stale =
            f.formedLines(myself: replica1).filter { !$0.hasPrefix(f.id(master0)) && !$0.hasPrefix(f.id(replica0)) } + [
                "\(f.id(master0)) :0@0,\(master0.host) master,noaddr - 1 1 4 disconnected 0-5460",
                f.line(master0, role: "replica", master: replica0, epoch: 4, generation: 1),
                f.line(replica0, epoch: 4),
            ]
        let moved =
            f.formedLines(myself: master1).filter { !$0.hasPrefix(f.id(master0)) && !$0.hasPrefix(f.id(replica0)) } + [
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
        let withSlots =
            f.formedLines(myself: master2).filter { !$0.hasPrefix(f.id(master0)) } + [
                f.line(master0, epoch: 1, slots: [SlotRange(0, 5460)], extraFlags: "fail"),
                f.line(master0, generation: 1, at: "198.18.9.3"),
            ]
        #expect(planner.repairs(f.observation(master2, local: f.view(master2, withSlots, local: true))).isEmpty)

        // The local replica's own master: Redis refuses to forget it.
        let ownMaster =
            f.formedLines(myself: me).filter { !$0.hasPrefix(f.id(master0)) } + [
                f.line(master0, epoch: 1, extraFlags: "fail"), f.line(master0, generation: 1, at: "198.18.9.3"),
            ]
        #expect(planner.repairs(f.observation(me, local: f.view(me, ownMaster, local: true))).isEmpty)
    }
}
