import Declaration
import Platform
import Testing

@testable import JoinLogic

/// The creator's rule, situation by situation: nothing up, some masters up, all up, and a creator
/// restarted after each step of creation.
@Suite struct BootstrapPlannerTests {
    let f = Fixture()
    var planner: Planner { Planner(topology: f.topology) }
    var creator: PodIdentity { f.pod(0, 0) }
    var master1: PodIdentity { f.pod(1, 0) }
    var master2: PodIdentity { f.pod(2, 0) }

    /// The full list of creation steps for three virgin masters, in the order they must run.
    var fullCreation: [Action] {
        [
            .setConfigEpoch(on: f.target(creator, local: true), epoch: 1),
            .setConfigEpoch(on: f.target(master1), epoch: 2),
            .setConfigEpoch(on: f.target(master2), epoch: 3),
            .addSlots(on: f.target(creator, local: true), ranges: [SlotRange(0, 5460)]),
            .addSlots(on: f.target(master1), ranges: [SlotRange(5461, 10922)]),
            .addSlots(on: f.target(master2), ranges: [SlotRange(10923, 16383)]),
            .meet(on: f.target(creator, local: true), ip: "198.18.1.1", port: 6379, busPort: 16379, peer: "rc-shard1-0"),
            .meet(on: f.target(creator, local: true), ip: "198.18.2.1", port: 6379, busPort: 16379, peer: "rc-shard2-0"),
        ]
    }

    @Test func nothingUpButTheCreator() {
        let observation = f.observation(
            creator, local: f.virgin(creator, local: true),
            peers: [master1: .unresolved("rc-shard1-0...: no such name (yet)"), master2: .unresolved("no such name")])
        guard case .wait(let text) = planner.plan(observation) else { Issue.record("expected a wait"); return }
        #expect(text.contains("rc-shard1-0: not resolvable yet"))
        #expect(text.contains("2 of 3 masters not up"))
    }

    @Test func someMastersUp() {
        let unreachable = PeerState.unreachable(f.endpoint(master2), "connect: Connection refused")
        let observation = f.observation(
            creator, local: f.virgin(creator, local: true), peers: [master1: .observed(f.virgin(master1)), master2: unreachable])
        guard case .wait(let text) = planner.plan(observation) else { Issue.record("expected a wait"); return }
        #expect(text.contains("rc-shard2-0 at 198.18.2.1:6379: not answering"))
    }

    @Test func allMastersVirginCreatesInOrder() {
        let observation = f.observation(
            creator, local: f.virgin(creator, local: true),
            peers: [master1: .observed(f.virgin(master1)), master2: .observed(f.virgin(master2))])
        #expect(planner.plan(observation) == .act(fullCreation))
    }

    /// Killed after setting the epochs: the slots and the MEETs remain.
    @Test func resumesAfterEpochs() {
        let local = f.view(creator, [f.line(creator, myself: true, epoch: 1, ipKnown: false)], local: true)
        let m1 = f.view(master1, [f.line(master1, myself: true, epoch: 2, ipKnown: false)])
        let m2 = f.view(master2, [f.line(master2, myself: true, epoch: 3, ipKnown: false)])
        let observation = f.observation(creator, local: local, peers: [master1: .observed(m1), master2: .observed(m2)])
        #expect(planner.plan(observation) == .act(Array(fullCreation[3...])))
    }

    /// Killed in the middle of assigning slots (shard 1 got a part of its range only).
    @Test func resumesInsideSlotAssignment() {
        let local = f.view(creator, [f.line(creator, myself: true, epoch: 1, slots: [SlotRange(0, 5460)], ipKnown: false)], local: true)
        let m1 = f.view(master1, [f.line(master1, myself: true, epoch: 2, slots: [SlotRange(5461, 6000)], ipKnown: false)])
        let m2 = f.view(master2, [f.line(master2, myself: true, epoch: 3, ipKnown: false)])
        let observation = f.observation(creator, local: local, peers: [master1: .observed(m1), master2: .observed(m2)])
        #expect(
            planner.plan(observation)
                == .act(
                    [
                        .addSlots(on: f.target(master1), ranges: [SlotRange(6001, 10922)]),
                        .addSlots(on: f.target(master2), ranges: [SlotRange(10923, 16383)]),
                    ] + Array(fullCreation[6...])))
    }

    /// Killed after meeting master 1 only; master 2's handshake counts as under way, not as missing.
    @Test func resumesAfterSomeMeets() {
        let slots0 = [SlotRange(0, 5460)]
        let local = f.view(
            creator, [f.line(creator, myself: true, epoch: 1, slots: slots0), f.line(master1, epoch: 2, slots: [SlotRange(5461, 10922)])],
            local: true)
        let m1 = f.view(
            master1, [f.line(master1, myself: true, epoch: 2, slots: [SlotRange(5461, 10922)]), f.line(creator, epoch: 1, slots: slots0)])
        let m2 = f.view(master2, [f.line(master2, myself: true, epoch: 3, slots: [SlotRange(10923, 16383)], ipKnown: false)])
        let observation = f.observation(creator, local: local, peers: [master1: .observed(m1), master2: .observed(m2)])
        #expect(planner.plan(observation) == .act([fullCreation[7]]))

        let handshake = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb 198.18.2.1:6379@16379 handshake - 0 0 0 connected"
        let meeting = f.view(
            creator,
            local.nodes.isEmpty
                ? []
                : [
                    f.line(creator, myself: true, epoch: 1, slots: slots0), f.line(master1, epoch: 2, slots: [SlotRange(5461, 10922)]),
                    handshake,
                ], local: true)
        let later = f.observation(creator, local: meeting, peers: [master1: .observed(m1), master2: .observed(m2)])
        guard case .wait(let text) = planner.plan(later) else { Issue.record("expected a wait"); return }
        #expect(text.contains("cluster_state:ok"))
    }

    /// Everything done: no creation step is repeated, and an OK cluster is converged.
    @Test func creationCompleteIsConverged() {
        let views = [creator, master1, master2].map { f.view($0, f.formedLines(myself: $0), ok: true, local: $0 == creator) }
        let observation = f.observation(creator, local: views[0], peers: [master1: .observed(views[1]), master2: .observed(views[2])])
        #expect(planner.plan(observation) == .converged)
    }

    @Test func masterHoldingKeysStopsCreation() {
        let m1 = f.view(master1, [f.line(master1, myself: true, ipKnown: false)], keys: 5)
        let observation = f.observation(
            creator, local: f.virgin(creator, local: true), peers: [master1: .observed(m1), master2: .observed(f.virgin(master2))])
        #expect(planner.plan(observation) == .wait("not creating the cluster: rc-shard1-0 holds 5 keys"))
    }

    @Test func masterKnowingAStrangerStopsCreation() {
        let stranger =
            "cccccccccccccccccccccccccccccccccccccccc 198.18.9.9:6379@16379,cache-0.other.prod.svc.cluster.local master - 0 0 7 connected"
        let m1 = f.view(master1, [f.line(master1, myself: true, epoch: 2), stranger])
        let observation = f.observation(
            creator, local: f.virgin(creator, local: true), peers: [master1: .observed(m1), master2: .observed(f.virgin(master2))])
        guard case .wait(let text) = planner.plan(observation) else { Issue.record("expected a wait"); return }
        #expect(text.contains("cache-0.other.prod.svc.cluster.local, a node of another cluster"))
    }

    @Test func masterThatWasInAClusterBeforeStopsCreation() {
        let m1 = f.view(master1, [f.line(master1, myself: true, epoch: 9)])
        let observation = f.observation(
            creator, local: f.virgin(creator, local: true), peers: [master1: .observed(m1), master2: .observed(f.virgin(master2))])
        #expect(
            planner.plan(observation)
                == .wait("not creating the cluster: rc-shard1-0 has config epoch 9, so it has been part of a cluster before"))
    }

    /// A replica that met its master before the creator did is one of ours: creation goes on.
    @Test func replicasAlreadyAttachedDoNotStopCreation() {
        let replica1 = f.pod(1, 1)
        let m1 = f.view(
            master1,
            [
                f.line(master1, myself: true, epoch: 2, slots: [SlotRange(5461, 10922)], ipKnown: false),
                f.line(replica1, role: "replica", master: master1, epoch: 2),
            ])
        let local = f.view(creator, [f.line(creator, myself: true, epoch: 1, slots: [SlotRange(0, 5460)], ipKnown: false)], local: true)
        let m2 = f.view(master2, [f.line(master2, myself: true, epoch: 3, slots: [SlotRange(10923, 16383)], ipKnown: false)])
        let observation = f.observation(creator, local: local, peers: [master1: .observed(m1), master2: .observed(m2)])
        #expect(planner.plan(observation) == .act(Array(fullCreation[6...])))
    }

    /// The creator back as its shard's replica (a handover or a failover made its replica the master),
    /// at a new address, before it reads the designated masters: it joins, it does not wait to create.
    @Test func aCreatorBackAsAReplicaDoesNotWaitToCreate() {
        let replica0 = f.pod(0, 1)
        var lines = f.formedLines(myself: creator).map { line in
            if line.hasPrefix(f.id(replica0)) { return f.line(replica0, epoch: 4, slots: [SlotRange(0, 5460)]) }
            if line.hasPrefix(f.id(creator)) { return f.line(creator, myself: true, role: "replica", master: replica0, epoch: 4) }
            return line
        }
        lines.sort { $0.contains("myself") && !$1.contains("myself") }
        let local = f.view(creator, lines, ok: true, local: true)
        let decision = planner.plan(f.observation(creator, local: local))
        if case .wait(let text) = decision, text.contains("masters not up") { Issue.record("the creator waited to create: \(text)") }
        #expect(decision == .converged)
    }

    /// The creator's volume was wiped after the cluster formed and its replica took over: the
    /// creator must not create anything; it has its own old ID forgotten where it is failed, then
    /// joins its shard's new master.
    @Test func wipedCreatorJoinsInsteadOfCreating() {
        let replica0 = f.pod(0, 1)
        // What master 1 sees: shard 0 is served by the promoted replica, the old creator ID failed.
        var lines = f.formedLines(myself: master1)
        lines = lines.map { line in
            if line.hasPrefix(f.id(replica0)) { return f.line(replica0, epoch: 4, slots: [SlotRange(0, 5460)]) }
            if line.hasPrefix(f.id(creator)) { return f.line(creator, role: "master", epoch: 1, extraFlags: "fail") }
            return line
        }
        let m1 = f.view(master1, lines, ok: true)
        let m2 = f.view(master2, f.formedLines(myself: master2), ok: true)
        let wiped = f.view(creator, [f.line(creator, myself: true, ipKnown: false, generation: 1)], local: true)
        let observation = f.observation(creator, local: wiped, peers: [master1: .observed(m1), master2: .observed(m2)])
        #expect(planner.plan(observation) == .act([.forget(on: f.target(master1), nodeID: f.id(creator), pod: "rc-shard0-0")]))
        let forgotten = f.view(master1, lines.filter { !$0.hasPrefix(f.id(creator)) }, ok: true)
        let after = f.observation(creator, local: wiped, peers: [master1: .observed(forgotten), master2: .observed(m2)])
        #expect(
            planner.plan(after)
                == .act([
                    .meet(on: f.target(creator, local: true), ip: "198.18.0.2", port: 6379, busPort: 16379, peer: "rc-shard0-1"),
                    .replicate(on: f.target(creator, local: true), masterID: f.id(f.pod(0, 1)), master: "rc-shard0-1"),
                ]))
    }

    /// With every slot served and this node a member, a master that does not answer is a matter
    /// for the joining rules, not a reason to wait for creation.
    @Test func formedClusterWithAMasterDownIsNotBootstrap() {
        let local = f.view(creator, f.formedLines(myself: creator), ok: true, keys: 10, local: true)
        let observation = f.observation(
            creator, local: local, peers: [master1: .unreachable(f.endpoint(master1), "timed out"), master2: .unresolved("gone")])
        #expect(planner.plan(observation) == .converged)
    }
}
