import NodeFinder
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
        #expect(planner.plan(observation) == .act([
            .meet(on: f.target(replica1, local: true), ip: "198.18.2.1", port: 6379, busPort: 16379, peer: "rc-shard2-0"),
            .meet(on: f.target(replica1, local: true), ip: "198.18.2.2", port: 6379, busPort: 16379, peer: "rc-shard2-1"),
        ]))
        let everyone = f.view(replica1, f.formedLines(myself: replica1), ok: true, local: true)
        #expect(planner.plan(f.observation(replica1, local: everyone, peers: [creator: .observed(creatorView)])) == .converged)
    }

    /// Not before the node joined (a designated master must stay alone until its epoch is set), not a
    /// member that is failing or mid-handshake, not one already being met, and never a stranger.
    @Test func whoIsNotIntroduced() {
        let creatorView = f.view(creator, f.formedLines(myself: creator), ok: true)
        let alone = f.view(master1, [f.line(master1, myself: true, epoch: 2, slots: [SlotRange(5461, 10922)])], local: true)
        #expect(planner.introductions(f.observation(master1, local: alone, peers: [creator: .observed(creatorView)]),
                                      matcher: PodMatcher(topology: f.topology, addresses: f.allAddresses)).isEmpty)

        let replica2 = f.pod(2, 1)
        let local = f.view(replica1, f.formedLines(myself: replica1).filter { !$0.hasPrefix(f.id(replica2)) }
            + ["bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb 198.18.2.2:6379@16379 handshake - 0 0 0 connected"], local: true)
        #expect(planner.introductions(f.observation(replica1, local: local, peers: [creator: .observed(creatorView)]),
                                      matcher: PodMatcher(topology: f.topology, addresses: f.allAddresses)).isEmpty)

        let failing = f.view(creator, f.formedLines(myself: creator).map { $0.hasPrefix(f.id(replica2)) ? f.line(replica2, role: "replica", master: f.pod(2, 0), epoch: 3, extraFlags: "fail") : $0 }
            + ["cccccccccccccccccccccccccccccccccccccccc 198.18.200.9:6379@16379,cache-0.cache.prod.svc.cluster.local master - 0 0 9 connected"], ok: true)
        let withoutReplica2 = f.view(replica1, f.formedLines(myself: replica1).filter { !$0.hasPrefix(f.id(replica2)) }, local: true)
        #expect(planner.introductions(f.observation(replica1, local: withoutReplica2, peers: [creator: .observed(failing)]),
                                      matcher: PodMatcher(topology: f.topology, addresses: f.allAddresses)).isEmpty)

        // A designated master that knows no one (a wiped pod waiting for its failover) is not met.
        let wipedMaster = f.view(master1, [f.line(master1, myself: true, ipKnown: false, generation: 1)])
        let member = f.view(creator, f.formedLines(myself: creator).filter { !$0.hasPrefix(f.id(master1)) }, ok: true, local: true)
        #expect(planner.introductions(f.observation(creator, local: member, peers: [master1: .observed(wipedMaster)]),
                                      matcher: PodMatcher(topology: f.topology, addresses: f.allAddresses)).isEmpty)
    }

    /// A designated replica still alone (it has not reached its master yet) is met early.
    @Test func aVirginDesignatedReplicaIsMet() {
        let member = f.view(creator, f.formedLines(myself: creator).filter { !$0.hasPrefix(f.id(replica1)) }, ok: true, local: true)
        let lone = f.view(replica1, [f.line(replica1, myself: true, ipKnown: false)])
        #expect(planner.introductions(f.observation(creator, local: member, peers: [replica1: .observed(lone)]),
                                      matcher: PodMatcher(topology: f.topology, addresses: f.allAddresses)) == [
            .meet(on: f.target(creator, local: true), ip: "198.18.1.2", port: 6379, busPort: 16379, peer: "rc-shard1-1")
        ])
        // Not when it holds keys: that is no longer a node to pull in on sight.
        let withKeys = f.view(replica1, [f.line(replica1, myself: true, ipKnown: false)], keys: 4)
        #expect(planner.introductions(f.observation(creator, local: member, peers: [replica1: .observed(withKeys)]),
                                      matcher: PodMatcher(topology: f.topology, addresses: f.allAddresses)).isEmpty)
    }
}
