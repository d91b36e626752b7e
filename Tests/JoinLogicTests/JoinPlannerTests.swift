import Declaration
import Platform
import Testing

@testable import JoinLogic

/// The joining rules for every pod but the creator, and the refusals.
@Suite struct JoinPlannerTests {
    let f = Fixture()
    var planner: Planner { Planner(topology: f.topology) }
    var master1: PodIdentity { f.pod(1, 0) }
    var replica1: PodIdentity { f.pod(1, 1) }

    @Test func designatedMasterWaitsForTheCreator() {
        let observation = f.observation(master1, local: f.virgin(master1, local: true), peers: [f.pod(0, 0): .observed(f.virgin(f.pod(0, 0)))])
        #expect(planner.plan(observation) == .wait("waiting for rc-shard0-0 to create the cluster"))
    }

    @Test func replicaWaitsForItsMasterByName() {
        let unresolved = f.observation(replica1, local: f.virgin(replica1, local: true), peers: [master1: .unresolved("rc-shard1-0...: no such name (yet)")])
        guard case .wait(let text) = planner.plan(unresolved) else { Issue.record("expected a wait"); return }
        #expect(text.hasPrefix("waiting for rc-shard1-0: not resolvable yet"))

        let noSlots = f.observation(replica1, local: f.virgin(replica1, local: true), peers: [master1: .observed(f.virgin(master1))])
        #expect(planner.plan(noSlots) == .wait("waiting for rc-shard1-0 to serve slots 5461-10922"))
    }

    /// The master serves its slots but has never been met, so it does not know its own IP: the
    /// replica introduces it at the address the agent reached it on.
    @Test func replicaMeetsItsMasterOnceItServesSlots() {
        let m1 = f.view(master1, [f.line(master1, myself: true, epoch: 2, slots: [SlotRange(5461, 10922)], ipKnown: false)])
        let observation = f.observation(replica1, local: f.virgin(replica1, local: true), peers: [master1: .observed(m1)])
        // The REPLICATE comes in the same pass: the executor waits for the handshake the MEET began.
        #expect(planner.plan(observation) == .act([
            .meet(on: f.target(replica1, local: true), ip: "198.18.1.1", port: 6379, busPort: 16379, peer: "rc-shard1-0"),
            .replicate(on: f.target(replica1, local: true), masterID: f.id(master1), master: "rc-shard1-0"),
        ]))
    }

    @Test func replicaReplicatesOnceTheHandshakeIsDone() {
        let local = f.view(replica1, [f.line(replica1, myself: true), f.line(master1, epoch: 2, slots: [SlotRange(5461, 10922)])], local: true)
        let observation = f.observation(replica1, local: local)
        #expect(planner.plan(observation) == .act([.replicate(on: f.target(replica1, local: true), masterID: f.id(master1), master: "rc-shard1-0")]))
    }

    @Test func replicaWaitsDuringTheHandshake() {
        let handshake = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb 198.18.1.1:6379@16379 handshake - 0 0 0 connected"
        let local = f.view(replica1, [f.line(replica1, myself: true), handshake], local: true)
        let m1 = f.view(master1, [f.line(master1, myself: true, epoch: 2, slots: [SlotRange(5461, 10922)])])
        let observation = f.observation(replica1, local: local, peers: [master1: .observed(m1)])
        #expect(planner.plan(observation) == .wait("waiting for the handshake with rc-shard1-0 to finish"))
    }

    /// A replica following another shard's master is moved back to its own shard's master.
    @Test func replicaOfTheWrongMasterIsMoved() {
        var lines = f.formedLines(myself: replica1)
        lines[0] = f.line(replica1, myself: true, role: "replica", master: f.pod(2, 0), epoch: 3)
        let observation = f.observation(replica1, local: f.view(replica1, lines, ok: true, local: true))
        #expect(planner.plan(observation) == .act([.replicate(on: f.target(replica1, local: true), masterID: f.id(master1), master: "rc-shard1-0")]))
    }

    @Test func replicaOfItsMasterIsConvergedWhenTheClusterIsOK() {
        let healthy = f.observation(replica1, local: f.view(replica1, f.formedLines(myself: replica1), ok: true, local: true))
        #expect(planner.plan(healthy) == .converged)
        let forming = f.observation(replica1, local: f.view(replica1, f.formedLines(myself: replica1), ok: false, local: true))
        #expect(planner.plan(forming) == .wait("waiting for cluster_state:ok (this node knows 6 of 6 nodes, 16384 of 16384 slots assigned)"))
    }

    /// After a failover the promoted replica serves the slots with a higher epoch: the old claim,
    /// failed, loses; the wiped old master joins the new one.
    @Test func ownerIsTheLiveHigherEpochClaim() {
        let master0 = f.pod(0, 0)
        let replica0 = f.pod(0, 1)
        let m1 = f.view(master1, [
            f.line(master1, myself: true, epoch: 2, slots: [SlotRange(5461, 10922)]),
            f.line(master0, epoch: 1, slots: [SlotRange(0, 5460)], extraFlags: "fail"),
            f.line(replica0, epoch: 4, slots: [SlotRange(0, 5460)]),
        ], ok: true)
        let wiped = f.view(master0, [f.line(master0, myself: true, ipKnown: false, generation: 1)], local: true)
        let observation = f.observation(master0, local: wiped, peers: [master1: .observed(m1)])
        let matcher = PodMatcher(topology: f.topology, addresses: f.allAddresses)
        #expect(planner.owner(ofShard: 0, in: observation, matcher: matcher)?.id == f.id(replica0))
        #expect(planner.owner(ofShard: 0, in: observation, matcher: matcher)?.name == "rc-shard0-1")

        // Without the fail flag the higher epoch still wins (a stale claim during propagation).
        let stale = f.view(master1, [
            f.line(master1, myself: true, epoch: 2, slots: [SlotRange(5461, 10922)]),
            f.line(master0, epoch: 1, slots: [SlotRange(0, 5460)]),
            f.line(replica0, epoch: 4, slots: [SlotRange(0, 5460)]),
        ])
        let second = f.observation(master0, local: wiped, peers: [master1: .observed(stale)])
        #expect(planner.owner(ofShard: 0, in: second, matcher: matcher)?.id == f.id(replica0))
    }

    @Test func slotlessMasterWithKeysIsRefused() {
        let m1 = f.view(master1, [f.line(master1, myself: true, epoch: 2, slots: [SlotRange(5461, 10922)])])
        let local = f.view(replica1, [f.line(replica1, myself: true, ipKnown: false)], keys: 3, local: true)
        let observation = f.observation(replica1, local: local, peers: [master1: .observed(m1)])
        guard case .refuse(let text) = planner.plan(observation) else { Issue.record("expected a refusal"); return }
        #expect(text.contains("holds 3 keys"))
    }

    /// A volume that holds another cluster's nodes.conf: refused, whatever else is true.
    @Test func foreignNodesConfIsRefused() {
        let other = [
            "cccccccccccccccccccccccccccccccccccccccc 198.18.9.9:6379@16379,cache-0.cache.prod.svc.cluster.local master - 0 0 7 connected 0-16383",
            "dddddddddddddddddddddddddddddddddddddddd 198.18.9.8:6379@16379,cache-1.cache.prod.svc.cluster.local slave cccccccccccccccccccccccccccccccccccccccc 0 0 7 connected",
        ]
        let local = f.view(replica1, [f.line(replica1, myself: true)] + other, local: true)
        let m1 = f.view(master1, [f.line(master1, myself: true, epoch: 2, slots: [SlotRange(5461, 10922)])])
        let observation = f.observation(replica1, local: local, peers: [master1: .observed(m1)])
        guard case .refuse(let text) = planner.plan(observation) else { Issue.record("expected a refusal"); return }
        #expect(text.contains("belongs to another cluster"))
        #expect(text.contains("cache-0.cache.prod.svc.cluster.local"))
        #expect(text.contains("Nothing was changed"))
    }

    /// Nodes without hostnames at addresses none of our pods has are unknown, not foreign: they are
    /// not grounds for a refusal on their own (a Redis 6.2 cluster whose pods all moved).
    @Test func unknownNodesAloneAreNotForeign() {
        let unknown = "cccccccccccccccccccccccccccccccccccccccc 198.18.9.9:6379@16379 master - 0 0 2 connected 5461-10922"
        let local = f.view(replica1, [f.line(replica1, myself: true, role: "replica", hostname: nil).replacingMaster(with: "cccccccccccccccccccccccccccccccccccccccc"), unknown], ok: true, local: true)
        let observation = f.observation(replica1, local: local)
        if case .refuse = planner.plan(observation) { Issue.record("unknown nodes must not be refused") }
    }

    @Test func whatEachAgentLooksAt() {
        let creator = f.pod(0, 0)
        #expect(planner.namesToResolve(for: creator, local: f.virgin(creator, local: true)).count == 6)
        // The creator: every designated master, and its own shard.
        #expect(planner.podsToObserve(for: creator, local: f.virgin(creator, local: true), addresses: f.allAddresses)
            == [master1, f.pod(2, 0), f.pod(0, 1)])
        let lone = f.virgin(replica1, local: true)
        #expect(planner.namesToResolve(for: replica1, local: lone).map(\.name) == ["rc-shard1-0", "rc-shard1-1", "rc-shard0-0", "rc-shard2-0"])
        #expect(planner.podsToObserve(for: replica1, local: lone, addresses: f.allAddresses) == [master1, creator])
        // A member reads the same (to see a half-known pair), and resolves only those names while every
        // entry it has is settled and it is where its name points...
        let member = f.view(replica1, f.formedLines(myself: replica1), ok: true, local: true)
        let here = IPAddress(f.ip(replica1))!
        #expect(planner.namesToResolve(for: replica1, local: member, myAddress: here).map(\.name) == ["rc-shard1-0", "rc-shard1-1", "rc-shard0-0"])
        // ... every name once something may have moved: an entry failing, suspected, or without address;
        // no hostnames (Redis 6.2); or the local node itself moved.
        let pod2 = f.pod(2, 0)
        for unsettled in [f.line(pod2, epoch: 3, slots: [f.topology.slots(ofShard: 2)], extraFlags: "fail?"),
                          f.line(pod2, epoch: 3, slots: [f.topology.slots(ofShard: 2)], extraFlags: "fail"),
                          f.line(pod2, epoch: 3, slots: [f.topology.slots(ofShard: 2)], extraFlags: "noaddr")] {
            let lines = f.formedLines(myself: replica1).map { $0.hasPrefix(f.id(pod2)) ? unsettled : $0 }
            #expect(planner.namesToResolve(for: replica1, local: f.view(replica1, lines, local: true), myAddress: here).count == 6)
        }
        // A link down to a node it can name (hostname, or node ID recorded): that pod's name is enough to
        // tell whether it moved (while a cluster forms, links are down by the hundred).
        let linkDown = f.formedLines(myself: replica1).map {
            $0.hasPrefix(f.id(pod2)) ? f.line(pod2, epoch: 3, slots: [f.topology.slots(ofShard: 2)], linkDown: true) : $0
        }
        #expect(planner.namesToResolve(for: replica1, local: f.view(replica1, linkDown, local: true), myAddress: here).map(\.name)
            == ["rc-shard1-0", "rc-shard1-1", "rc-shard0-0", "rc-shard2-0"])
        let namelessLinkDown = f.formedLines(myself: replica1).map {
            $0.hasPrefix(f.id(pod2)) ? f.line(pod2, epoch: 3, slots: [f.topology.slots(ofShard: 2)], hostname: nil, linkDown: true) : $0
        }
        let recorded = NodeIDMap(text: "\(f.id(pod2)) rc-shard2-0\n")
        #expect(planner.namesToResolve(for: replica1, local: f.view(replica1, namelessLinkDown, local: true), myAddress: here, nodeIDs: recorded).count == 4)
        // A link down that nothing names, among nodes with hostnames: an entry fresh from a handshake, not a
        // move (Redis keeps hostnames in nodes.conf). Its own scope only.
        #expect(planner.namesToResolve(for: replica1, local: f.view(replica1, namelessLinkDown, local: true), myAddress: here).count == 3)
        let handshake = f.formedLines(myself: replica1) + ["bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb 198.18.9.9:6379@16379 handshake - 0 0 0 disconnected"]
        #expect(planner.namesToResolve(for: replica1, local: f.view(replica1, handshake, local: true), myAddress: here).count == 3)
        let withoutHostnames = f.view(replica1, f.formedLines(myself: replica1, hostnames: false), ok: true, local: true)
        #expect(planner.namesToResolve(for: replica1, local: withoutHostnames, myAddress: here).count == 6)
        #expect(planner.namesToResolve(for: replica1, local: member, myAddress: IPAddress("198.18.7.7")!).count == 6)
        #expect(planner.podsToObserve(for: replica1, local: member, addresses: f.allAddresses) == [master1, creator])
        // ... and the pods it knows at an address their name no longer gives.
        var moved = f.allAddresses
        moved["rc-shard2-0"] = IPAddress("198.18.9.1")!
        #expect(planner.podsToObserve(for: replica1, local: member, addresses: moved) == [master1, creator, f.pod(2, 0)])
        // The creator, once its node sees every slot served, reads like any agent: its own shard.
        let formedCreator = f.view(creator, f.formedLines(myself: creator), ok: true, local: true)
        #expect(planner.namesToResolve(for: creator, local: formedCreator, myAddress: IPAddress(f.ip(creator))!).map(\.name) == ["rc-shard0-0", "rc-shard0-1"])
        #expect(planner.podsToObserve(for: creator, local: formedCreator, addresses: f.allAddresses) == [f.pod(0, 1)])
        // ... but not while one master's slots are still unknown to it (creation unfinished).
        let halfFormed = f.view(creator, f.formedLines(myself: creator).filter { !$0.contains(f.id(f.pod(2, 0))) }, local: true)
        #expect(halfFormed.info.slotsAssigned < 16384)
        #expect(planner.namesToResolve(for: creator, local: halfFormed, myAddress: IPAddress(f.ip(creator))!).count == 6)
        #expect(planner.podsToObserve(for: creator, local: halfFormed, addresses: f.allAddresses)
            == [master1, f.pod(2, 0), f.pod(0, 1)])
    }

    /// A master that restarted before saving the MEET it had accepted no longer knows its replica, and
    /// ignores its PINGs; the replica sees that in its master's view and MEETs it again.
    @Test func halfKnownPairIsIntroducedAgain() {
        let local = f.view(replica1, f.formedLines(myself: replica1), ok: true, local: true)
        let forgetful = f.view(master1, f.formedLines(myself: master1).filter { !$0.hasPrefix(f.id(replica1)) }, ok: true)
        let observation = f.observation(replica1, local: local, peers: [master1: .observed(forgetful)])
        #expect(planner.plan(observation) == .act([
            .meet(on: f.target(replica1, local: true), ip: "198.18.1.1", port: 6379, busPort: 16379, peer: "rc-shard1-0")
        ]))
        // While the master is in the middle of the handshake with this node, that is just a MEET at work.
        let meeting = f.view(master1, f.formedLines(myself: master1).filter { !$0.hasPrefix(f.id(replica1)) }
            + ["bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb 198.18.1.2:6379@16379 handshake - 0 0 0 connected"], ok: true)
        #expect(planner.repairs(f.observation(replica1, local: local, peers: [master1: .observed(meeting)])).isEmpty)
        // And the other way round: the master knows this node, this node (alone) does not know it.
        let alone = f.view(master1, [f.line(master1, myself: true, epoch: 2, slots: [SlotRange(5461, 10922)])], local: true)
        let creatorView = f.view(f.pod(0, 0), f.formedLines(myself: f.pod(0, 0)), ok: true)
        let reverse = f.observation(master1, local: alone, peers: [f.pod(0, 0): .observed(creatorView)])
        #expect(planner.plan(reverse) == .act([
            .meet(on: f.target(master1, local: true), ip: "198.18.0.1", port: 6379, busPort: 16379, peer: "rc-shard0-0")
        ]))
    }
}

extension String {
    /// Test helper: puts a master ID into a replica line's master field.
    func replacingMaster(with id: String) -> String {
        var fields = split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        fields[3] = id
        return fields.joined(separator: " ")
    }
}
