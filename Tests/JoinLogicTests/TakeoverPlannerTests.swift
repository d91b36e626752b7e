import Declaration
import Platform
import Testing

@testable import JoinLogic

/// A shard whose master was wiped and has no replica (R=0): nothing can serve its slots again.
@Suite struct TakeoverPlannerTests {
    let f = Fixture(shards: 3, replicas: 0)
    var master1: PodIdentity { f.pod(1, 0) }
    var creator: PodIdentity { f.pod(0, 0) }

    /// The creator's view: shard 1's old master failed, still claiming its slots.
    func creatorView(heir: Bool = false) -> NodeView {
        var lines = [
            f.line(creator, myself: true, epoch: 1, slots: [SlotRange(0, 5460)]),
            f.line(master1, epoch: 2, slots: [SlotRange(5461, 10922)], extraFlags: "fail", linkDown: true),
            f.line(f.pod(2, 0), epoch: 3, slots: [SlotRange(10923, 16383)]),
        ]
        if heir {
            lines.append("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb 198.18.1.9:6379@16379 slave \(f.id(master1)) 0 0 2 connected")
        }
        return f.view(creator, lines)
    }

    func observation(_ planner: Planner, heir: Bool = false) -> Observation {
        let wiped = f.view(master1, [f.line(master1, myself: true, ipKnown: false, generation: 1)], local: true)
        return f.observation(master1, local: wiped, peers: [creator: .observed(creatorView(heir: heir))])
    }

    @Test func refusedWithoutTheFlag() {
        let planner = Planner(topology: f.topology)
        guard case .refuse(let text) = planner.plan(observation(planner)) else { Issue.record("expected a refusal"); return }
        #expect(text.hasPrefix("shard 1's slots 5461-10922 have no live owner: rc-shard1-0 (aaaaaaaa) is gone with its data"))
        #expect(text.contains("--allow-slot-takeover"))
    }

    @Test func takenWithTheFlag() {
        let planner = Planner(topology: f.topology, allowSlotTakeover: true)
        #expect(
            planner.plan(observation(planner))
                == .act([
                    .setConfigEpoch(on: f.target(master1, local: true), epoch: 4),
                    .addSlots(on: f.target(master1, local: true), ranges: [SlotRange(5461, 10922)]),
                    .meet(on: f.target(master1, local: true), ip: "198.18.0.1", port: 6379, busPort: 16379, peer: "rc-shard0-0"),
                ]))
    }

    /// A live replica of the gone master can still be promoted: wait for Redis, take nothing.
    @Test func aLiveHeirMeansWait() {
        let planner = Planner(topology: f.topology, allowSlotTakeover: true)
        guard case .awaitFailover = planner.plan(observation(planner, heir: true)) else { Issue.record("expected a failover wait"); return }
    }

    /// Mid-bootstrap: shard 1's slots are simply not assigned yet. Not orphaned, not refused.
    @Test func unassignedSlotsDuringBootstrapAreNotOrphaned() {
        let planner = Planner(topology: f.topology)
        let creatorView = f.view(
            creator,
            [
                f.line(creator, myself: true, epoch: 1, slots: [SlotRange(0, 5460)]),
                f.line(f.pod(2, 0), epoch: 3, slots: [SlotRange(10923, 16383)]),
            ])
        let virgin = f.view(master1, [f.line(master1, myself: true, ipKnown: false)], local: true)
        let observation = f.observation(master1, local: virgin, peers: [creator: .observed(creatorView)])
        #expect(planner.orphanedShard(1, observation, matcher: PodMatcher(topology: f.topology, addresses: f.allAddresses)) == nil)
        guard case .wait = planner.plan(observation) else { Issue.record("expected a wait"); return }
    }
}
