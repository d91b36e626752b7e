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
        let observation = f.observation(
            master1, local: f.virgin(master1, local: true), peers: [f.pod(0, 0): .observed(f.virgin(f.pod(0, 0)))])
        #expect(planner.plan(observation) == .wait("waiting for rc-shard0-0 to create the cluster"))
    }

    @Test func replicaWaitsForItsMasterByName() {
        let unresolved = f.observation(
            replica1, local: f.virgin(replica1, local: true), peers: [master1: .unresolved("rc-shard1-0...: no such name (yet)")])
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
        #expect(
            planner.plan(observation)
                == .act([
                    .meet(on: f.target(replica1, local: true), ip: "198.18.1.1", port: 6379, busPort: 16379, peer: "rc-shard1-0"),
                    .replicate(on: f.target(replica1, local: true), masterID: f.id(master1), master: "rc-shard1-0"),
                ]))
    }

    @Test func replicaReplicatesOnceTheHandshakeIsDone() {
        let local = f.view(
            replica1, [f.line(replica1, myself: true), f.line(master1, epoch: 2, slots: [SlotRange(5461, 10922)])], local: true)
        let observation = f.observation(replica1, local: local)
        #expect(
            planner.plan(observation)
                == .act([.replicate(on: f.target(replica1, local: true), masterID: f.id(master1), master: "rc-shard1-0")]))
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
        #expect(
            planner.plan(observation)
                == .act([.replicate(on: f.target(replica1, local: true), masterID: f.id(master1), master: "rc-shard1-0")]))
    }

    @Test func replicaOfItsMasterIsConvergedWhenTheClusterIsOK() {
        let healthy = f.observation(replica1, local: f.view(replica1, f.formedLines(myself: replica1), ok: true, local: true))
        #expect(planner.plan(healthy) == .converged)
        let forming = f.observation(replica1, local: f.view(replica1, f.formedLines(myself: replica1), ok: false, local: true))
        #expect(
            planner.plan(forming) == .wait("waiting for cluster_state:ok (this node knows 6 of 6 nodes, 16384 of 16384 slots assigned)"))
    }

    /// After a failover the promoted replica serves the slots with a higher epoch: the old claim,
    /// failed, loses; the wiped old master joins the new one.
    @Test func ownerIsTheLiveHigherEpochClaim() {
        let master0 = f.pod(0, 0)
        let replica0 = f.pod(0, 1)
        let m1 = f.view(
            master1,
            [
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
        let stale = f.view(
            master1,
            [
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
        let local = f.view(
            replica1,
            [
                f.line(replica1, myself: true, role: "replica", hostname: nil).replacingMaster(
                    with: "cccccccccccccccccccccccccccccccccccccccc"), unknown,
            ], ok: true, local: true)
        let observation = f.observation(replica1, local: local)
        if case .refuse = planner.plan(observation) { Issue.record("unknown nodes must not be refused") }
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
