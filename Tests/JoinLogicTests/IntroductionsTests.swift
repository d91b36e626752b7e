import Declaration
import Platform
import Testing

@testable import JoinLogic

/// Members a joined node has not met yet are met directly, not left to gossip.
@Suite struct IntroductionsTests {
    let f = Fixture()
    var planner: Planner { Planner(topology: f.topology) }
    var replica1: PodIdentity { f.pod(1, 1) }
    var master1: PodIdentity { f.pod(1, 0) }
    var creator: PodIdentity { f.pod(0, 0) }

    /// The replica has joined its master; the creator lists every member, two of which the replica does
    /// not know yet: MEET both, then converge.
    @Test func aJoinedNodeMeetsTheMembersItHasNotMet() {
        let known = f.formedLines(myself: replica1).filter { !$0.hasPrefix(f.id(f.pod(2, 0))) && !$0.hasPrefix(f.id(f.pod(2, 1))) }
        let local = f.view(replica1, known, local: true)
        let creatorView = f.view(creator, f.formedLines(myself: creator), ok: true)
        let masterView = f.view(master1, f.formedLines(myself: master1), ok: true)
        let observation = f.observation(replica1, local: local, peers: [creator: .observed(creatorView), master1: .observed(masterView)])
        #expect(
            planner.plan(observation)
                == .act([
                    .meet(on: f.target(replica1, local: true), ip: "198.18.2.1", port: 6379, busPort: 16379, peer: "rc-shard2-0"),
                    .meet(on: f.target(replica1, local: true), ip: "198.18.2.2", port: 6379, busPort: 16379, peer: "rc-shard2-1"),
                ]))
        let everyone = f.view(replica1, f.formedLines(myself: replica1), ok: true, local: true)
        #expect(planner.plan(f.observation(replica1, local: everyone, peers: [creator: .observed(creatorView)])) == .converged)
    }

    /// Of two members that do not know each other, only the one declared first MEETs the other: one
    /// MEET makes both know each other, and two started at once are two handshakes for one pair (at
    /// 50x1 the servers spent a sixth less CPU and formed the cluster 0.6-1.4 s sooner without them).
    @Test func oneMeetPerPair() {
        let replica2 = f.pod(2, 1)
        let creatorView = f.view(creator, f.formedLines(myself: creator), ok: true)
        let matcher = PodMatcher(topology: f.topology, addresses: f.allAddresses)
        let later = f.view(replica2, f.formedLines(myself: replica2).filter { !$0.hasPrefix(f.id(replica1)) }, local: true)
        #expect(
            planner.introductions(f.observation(replica2, local: later, peers: [creator: .observed(creatorView)]), matcher: matcher).isEmpty
        )
        let earlier = f.view(replica1, f.formedLines(myself: replica1).filter { !$0.hasPrefix(f.id(replica2)) }, local: true)
        #expect(
            planner.introductions(f.observation(replica1, local: earlier, peers: [creator: .observed(creatorView)]), matcher: matcher) == [
                .meet(on: f.target(replica1, local: true), ip: "198.18.2.2", port: 6379, busPort: 16379, peer: "rc-shard2-1")
            ])
    }

    /// At 50x1, at most eight a pass: the rest come by gossip, or in the next passes. The creator lists
    /// 98 members a fresh replica of shard 0 has not met, all declared after it.
    @Test func atMostEightAPassAt50Shards() {
        let big = Fixture(shards: 50)
        let first = introductionsOfShard0Replica(big)
        #expect(first.count == 8)
        #expect(
            first.first
                == .meet(on: big.target(big.pod(0, 1), local: true), ip: "198.18.1.1", port: 6379, busPort: 16379, peer: "rc-shard1-0"))
        // The next pass, those eight known, goes on with the next eight.
        let met = Set(first.compactMap { if case .meet(_, _, _, _, let peer) = $0 { peer } else { nil } })
        let second = introductionsOfShard0Replica(big, alsoKnown: met)
        #expect(second.count == 8 && !second.contains(where: first.contains))
    }

    /// At 10x1 the budget (800 MEETs a round of passes, for the whole cluster) covers every pair at once.
    @Test func everyPairAtOnceAt10Shards() {
        #expect(introductionsOfShard0Replica(Fixture(shards: 10)).count == 18)
    }

    /// What shard 0's replica introduces when its node knows itself, the creator and the pods named in
    /// `alsoKnown`, and the creator lists every member.
    private func introductionsOfShard0Replica(_ fixture: Fixture, alsoKnown: Set<String> = []) -> [Action] {
        let me = fixture.pod(0, 1), creator = fixture.pod(0, 0)
        let known = fixture.topology.pods.filter { $0 == me || $0 == creator || alsoKnown.contains($0.name) }
        let local = fixture.view(
            me, fixture.formedLines(myself: me).filter { line in known.contains { line.hasPrefix(fixture.id($0)) } }, local: true)
        let creatorView = fixture.view(creator, fixture.formedLines(myself: creator), ok: true)
        return Planner(topology: fixture.topology).introductions(
            fixture.observation(me, local: local, peers: [creator: .observed(creatorView)]),
            matcher: PodMatcher(topology: fixture.topology, addresses: fixture.allAddresses))
    }

    /// Not before the node joined (a designated master must stay alone until its epoch is set), not a
    /// member that is failing or mid-handshake, not one already being met, and never a stranger.
    @Test func whoIsNotIntroduced() {
        let creatorView = f.view(creator, f.formedLines(myself: creator), ok: true)
        let alone = f.view(master1, [f.line(master1, myself: true, epoch: 2, slots: [SlotRange(5461, 10922)])], local: true)
        #expect(
            planner.introductions(
                f.observation(master1, local: alone, peers: [creator: .observed(creatorView)]),
                matcher: PodMatcher(topology: f.topology, addresses: f.allAddresses)
            ).isEmpty)

        let replica2 = f.pod(2, 1)
        let local = f.view(
            replica1,
            f.formedLines(myself: replica1).filter { !$0.hasPrefix(f.id(replica2)) }
                + ["bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb 198.18.2.2:6379@16379 handshake - 0 0 0 connected"], local: true)
        #expect(
            planner.introductions(
                f.observation(replica1, local: local, peers: [creator: .observed(creatorView)]),
                matcher: PodMatcher(topology: f.topology, addresses: f.allAddresses)
            ).isEmpty)

        let failing = f.view(
            creator,
            f.formedLines(myself: creator).map {
                $0.hasPrefix(f.id(replica2)) ? f.line(replica2, role: "replica", master: f.pod(2, 0), epoch: 3, extraFlags: "fail") : $0
            }
                + [
                    "cccccccccccccccccccccccccccccccccccccccc 198.18.200.9:6379@16379,cache-0.cache.prod.svc.cluster.local master - 0 0 9 connected"
                ], ok: true)
        let withoutReplica2 = f.view(replica1, f.formedLines(myself: replica1).filter { !$0.hasPrefix(f.id(replica2)) }, local: true)
        #expect(
            planner.introductions(
                f.observation(replica1, local: withoutReplica2, peers: [creator: .observed(failing)]),
                matcher: PodMatcher(topology: f.topology, addresses: f.allAddresses)
            ).isEmpty)

        // A designated master that knows no one (a wiped pod waiting for its failover) is not met.
        let wipedMaster = f.view(master1, [f.line(master1, myself: true, ipKnown: false, generation: 1)])
        let member = f.view(creator, f.formedLines(myself: creator).filter { !$0.hasPrefix(f.id(master1)) }, ok: true, local: true)
        #expect(
            planner.introductions(
                f.observation(creator, local: member, peers: [master1: .observed(wipedMaster)]),
                matcher: PodMatcher(topology: f.topology, addresses: f.allAddresses)
            ).isEmpty)
    }

    /// A designated replica still alone (it has not reached its master yet) is met early.
    @Test func aVirginDesignatedReplicaIsMet() {
        let member = f.view(creator, f.formedLines(myself: creator).filter { !$0.hasPrefix(f.id(replica1)) }, ok: true, local: true)
        let lone = f.view(replica1, [f.line(replica1, myself: true, ipKnown: false)])
        #expect(
            planner.introductions(
                f.observation(creator, local: member, peers: [replica1: .observed(lone)]),
                matcher: PodMatcher(topology: f.topology, addresses: f.allAddresses)) == [
                    .meet(on: f.target(creator, local: true), ip: "198.18.1.2", port: 6379, busPort: 16379, peer: "rc-shard1-1")
                ])
        // Not when it holds keys: that is no longer a node to pull in on sight.
        let withKeys = f.view(replica1, [f.line(replica1, myself: true, ipKnown: false)], keys: 4)
        #expect(
            planner.introductions(
                f.observation(creator, local: member, peers: [replica1: .observed(withKeys)]),
                matcher: PodMatcher(topology: f.topology, addresses: f.allAddresses)
            ).isEmpty)
    }

    var matcher: PodMatcher { PodMatcher(topology: f.topology, addresses: f.allAddresses) }

    /// The master lists shard 2's replica without its master (the handshake's last message told it
    /// nothing of its role): it asks that replica, on its server, for a MEET, and is not converged yet
    /// even though its cluster_state is ok.
    @Test func aReplicaListedWithoutMasterIsAskedToMeet() {
        let replica2 = f.pod(2, 1)
        let lines = f.formedLines(myself: master1).map { $0.hasPrefix(f.id(replica2)) ? f.line(replica2, role: "replica") : $0 }
        let local = f.view(master1, lines, ok: true, local: true)
        let ask = Action.meet(on: f.target(replica2), ip: "198.18.1.1", port: 6379, busPort: 16379, peer: "rc-shard1-0")
        #expect(planner.plan(f.observation(master1, local: local)) == .act([ask]))
        #expect(ask.description == "introduce rc-shard1-0 (198.18.1.1:6379) to rc-shard2-1")
        // Not while it does not know a node for every pod yet (handshake entries do not count): the
        // cluster is still forming, and gossip fills entries in.
        let forming =
            lines.filter { !$0.hasPrefix(f.id(f.pod(0, 1))) }
            + ["bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb 198.18.0.2:6379@16379 handshake - 0 0 0 connected"]
        #expect(planner.outdatedEntries(f.observation(master1, local: f.view(master1, forming, local: true)), matcher: matcher).isEmpty)
    }

    /// The replica lists shard 2's master without slots, and the creator has seen it serve them: ask
    /// it. Without a view that shows its slots, a master without slots may be just that (a wiped pod
    /// waiting for its failover), and is left alone.
    @Test func aMasterListedWithoutItsSlotsIsAskedToMeet() {
        let master2 = f.pod(2, 0)
        let lines = f.formedLines(myself: replica1).map { $0.hasPrefix(f.id(master2)) ? f.line(master2, epoch: 3) : $0 }
        let local = f.view(replica1, lines, local: true)
        let creatorView = f.view(creator, f.formedLines(myself: creator), ok: true)
        #expect(
            planner.outdatedEntries(f.observation(replica1, local: local, peers: [creator: .observed(creatorView)]), matcher: matcher) == [
                .meet(on: f.target(master2), ip: "198.18.1.2", port: 6379, busPort: 16379, peer: "rc-shard1-1")
            ])
        // Its entry has no hostname yet either, and the agent knows only its own scope's addresses: the
        // creator's entry for the same ID names the pod.
        let bare = f.formedLines(myself: replica1).map { $0.hasPrefix(f.id(master2)) ? f.line(master2, epoch: 3, hostname: nil) : $0 }
        var scopeOnly = f.allAddresses
        scopeOnly["rc-shard2-0"] = nil
        let scopeMatcher = PodMatcher(topology: f.topology, addresses: scopeOnly)
        let bareLocal = f.view(replica1, bare, local: true)
        #expect(scopeMatcher.pod(of: bareLocal.node(withID: f.id(master2))!) == nil)
        #expect(
            planner.outdatedEntries(
                f.observation(replica1, local: bareLocal, peers: [creator: .observed(creatorView)]), matcher: scopeMatcher) == [
                    .meet(on: f.target(master2), ip: "198.18.1.2", port: 6379, busPort: 16379, peer: "rc-shard1-1")
                ])
        let creatorWithout = f.view(
            creator, f.formedLines(myself: creator).map { $0.hasPrefix(f.id(master2)) ? f.line(master2, epoch: 3) : $0 })
        #expect(
            planner.outdatedEntries(f.observation(replica1, local: local, peers: [creator: .observed(creatorWithout)]), matcher: matcher)
                .isEmpty)
        #expect(planner.outdatedEntries(f.observation(replica1, local: local), matcher: matcher).isEmpty)
    }

    /// Entries that are not settled members are not asked: mid-handshake (a temporary ID), without an
    /// address, agreed failed, or no pod of ours.
    @Test func onlySettledMembersAreAsked() {
        let replica2 = f.pod(2, 1)
        for flags in ["handshake", "noaddr", "fail"] {
            let lines = f.formedLines(myself: master1).map {
                $0.hasPrefix(f.id(replica2)) ? f.line(replica2, role: "replica", extraFlags: flags) : $0
            }
            #expect(planner.outdatedEntries(f.observation(master1, local: f.view(master1, lines, local: true)), matcher: matcher).isEmpty)
        }
        let stranger = "cccccccccccccccccccccccccccccccccccccccc 198.18.200.9:6379@16379 slave - 0 0 9 connected"
        let lines = f.formedLines(myself: master1) + [stranger]
        #expect(planner.outdatedEntries(f.observation(master1, local: f.view(master1, lines, local: true)), matcher: matcher).isEmpty)
    }
}
