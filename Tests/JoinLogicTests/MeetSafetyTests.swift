import Declaration
import Testing

@testable import JoinLogic

/// The rule that keeps two clusters from being merged by a MEET (redis/redis#6174).
@Suite struct MeetSafetyTests {
    let f = Fixture()
    var matcher: PodMatcher { PodMatcher(topology: f.topology, addresses: f.allAddresses) }

    @Test func aLoneNodeMayAlwaysMeet() {
        let lone = f.virgin(f.pod(1, 1))
        let formed = f.view(f.pod(1, 0), f.formedLines(myself: f.pod(1, 0)), ok: true)
        #expect(MeetSafety.problem(local: lone, remote: formed, matcher: matcher) == nil)
        #expect(MeetSafety.problem(local: formed, remote: lone, matcher: matcher) == nil)
    }

    @Test func sidesSharingANodeAreOneCluster() {
        let a = f.view(
            f.pod(0, 0), [f.line(f.pod(0, 0), myself: true, epoch: 1, slots: [SlotRange(0, 5460)]), f.line(f.pod(1, 0), epoch: 2)])
        let b = f.view(f.pod(2, 0), [f.line(f.pod(2, 0), myself: true, epoch: 3), f.line(f.pod(1, 0), epoch: 2)])
        #expect(MeetSafety.problem(local: a, remote: b, matcher: matcher) == nil)
    }

    /// Two fragments of our own bootstrap (a master with its replica, and the creator with another
    /// master) with disjoint slots may be joined.
    @Test func ourOwnFragmentsWithDisjointSlots() {
        let a = f.view(
            f.pod(1, 1),
            [
                f.line(f.pod(1, 1), myself: true, role: "replica", master: f.pod(1, 0)),
                f.line(f.pod(1, 0), epoch: 2, slots: [SlotRange(5461, 10922)]),
            ])
        let b = f.view(
            f.pod(0, 0),
            [
                f.line(f.pod(0, 0), myself: true, epoch: 1, slots: [SlotRange(0, 5460)]),
                f.line(f.pod(2, 0), epoch: 3, slots: [SlotRange(10923, 16383)]),
            ])
        #expect(MeetSafety.problem(local: a, remote: b, matcher: matcher) == nil)
    }

    /// Two fragments both serving shard 0's slots are two clusters: never merged.
    @Test func overlappingSlotsAreTwoClusters() {
        let a = f.view(
            f.pod(0, 0), [f.line(f.pod(0, 0), myself: true, epoch: 1, slots: [SlotRange(0, 5460)]), f.line(f.pod(1, 0), epoch: 2)])
        let b = f.view(
            f.pod(0, 1), [f.line(f.pod(0, 1), myself: true, epoch: 5, slots: [SlotRange(0, 100)]), f.line(f.pod(2, 0), epoch: 3)])
        let problem = MeetSafety.problem(local: a, remote: b, matcher: matcher)
        #expect(problem?.contains("two different clusters") == true)
    }

    @Test func aForeignNodeOnEitherSideIsRefused() {
        let stranger =
            "cccccccccccccccccccccccccccccccccccccccc 198.18.9.9:6379@16379,cache-0.cache.prod.svc.cluster.local master - 0 0 7 connected"
        let a = f.view(f.pod(0, 0), [f.line(f.pod(0, 0), myself: true, epoch: 1), f.line(f.pod(1, 0), epoch: 2)])
        let b = f.view(f.pod(2, 0), [f.line(f.pod(2, 0), myself: true, epoch: 3), stranger])
        #expect(MeetSafety.problem(local: a, remote: b, matcher: matcher)?.contains("another cluster") == true)
        #expect(MeetSafety.problem(local: a, remote: nil, matcher: matcher) != nil)
    }
}
