import Declaration
import Platform
import Testing

@testable import JoinLogic

/// A declaration whose shard count changed under a live cluster: in the shards layout each pod keeps
/// to its own shard while the creator's agent moves slots (`RebalanceTests`); the ordinal layout re-maps
/// pods (`OrdinalRemapTests`); the static layout acts on nothing (`declarationChange`). What a 3 -> 4
/// change did before either: shard 1's replica was made to follow shard 0's master.
@Suite struct DeclarationChangeTests {
    let three = Fixture(shards: 3)
    let four = Fixture(shards: 4)

    /// The cluster as 4 shards formed it, each line named by its hostname.
    var fourShardLines: [String] { four.formedLines(myself: four.pod(0, 1)) }

    @Test func aShrunkDeclarationLeavesEveryOtherPodToItsOwnShard() {
        let planner = Planner(topology: three.topology)
        let me = three.pod(0, 1)
        let local = four.view(four.pod(0, 1), fourShardLines, ok: true, local: true)
        #expect(planner.plan(three.observation(me, local: local)) == .converged)
    }

    @Test func aGrownDeclarationSendsEachPodToItsOwnShard() {
        let planner = Planner(topology: four.topology)
        let master0 = three.pod(0, 0)
        let formed = three.view(master0, three.formedLines(myself: master0), ok: true)
        // The new shard's master: before, it followed whoever served slot 12288 (shard 2's master).
        let newMaster = four.pod(3, 0)
        let fresh = planner.plan(
            four.observation(newMaster, local: four.virgin(newMaster, local: true), peers: [four.pod(0, 0): .observed(formed)]))
        #expect(fresh == .wait("waiting for shard 3 to be given slots (by the creator's agent)"))
        // A pod of the old shards rolled onto the new declaration: before, shard 1's replica was told to
        // follow shard 0's master, which serves the first slot of shard 1's new range.
        let replica1 = four.pod(1, 1)
        let local = three.view(three.pod(1, 1), three.formedLines(myself: three.pod(1, 1)), ok: true, local: true)
        #expect(planner.plan(four.observation(replica1, local: local)) == .converged)
    }

    @Test func theDeclaredClusterAndAnUnnamedOwnerSayNothing() {
        let planner = Planner(topology: three.topology)
        let me = three.pod(0, 1)
        let healthy = three.view(me, three.formedLines(myself: me), ok: true, local: true)
        let declared = three.observation(me, local: healthy)
        #expect(planner.declarationChange(declared, matcher: declared.matcher(three.topology)) == nil)
        // Four owners without hostnames at addresses no declared pod resolves to: who serves which shard
        // cannot be told, so the other rules decide.
        let nameless = (0..<4).flatMap { shard -> [String] in
            let master = four.pod(shard, 0)
            return [
                four.line(
                    master, myself: shard == 0, epoch: shard + 1, slots: [four.topology.slots(ofShard: shard)], hostname: nil,
                    at: "198.19.\(shard).1"),
                four.line(four.pod(shard, 1), role: "replica", master: master, epoch: shard + 1, hostname: nil, at: "198.19.\(shard).2"),
            ]
        }
        let view = four.view(four.pod(0, 0), nameless, ok: true, local: true)
        let observation = three.observation(me, local: view)
        #expect(planner.declarationChange(observation, matcher: observation.matcher(three.topology)) == nil)
    }

    @Test func aGonePodBeyondTheDeclaredReplicasIsForgottenEverywhere() {
        let two = Fixture(replicas: 2)
        let planner = Planner(topology: three.topology)
        let me = three.pod(0, 1)
        let leaving = two.pod(0, 2)
        let gone = two.line(leaving, role: "replica", master: two.pod(0, 0), epoch: 1, extraFlags: "fail")
        let local = three.view(me, three.formedLines(myself: me) + [gone], ok: true, local: true)
        let master0 = three.pod(0, 0)
        let peer = three.view(master0, three.formedLines(myself: master0) + [gone], ok: true)
        let observation = three.observation(me, local: local, peers: [master0: .observed(peer)])
        #expect(
            planner.repairs(observation) == [
                .forget(on: three.target(me, local: true), nodeID: two.id(leaving), pod: "rc-shard0-2"),
                .forget(on: three.target(master0), nodeID: two.id(leaving), pod: "rc-shard0-2"),
            ])
        // Still answering (not failed), or followed by a node: left alone.
        let alive = two.line(leaving, role: "replica", master: two.pod(0, 0), epoch: 1)
        #expect(planner.repairs(three.observation(me, local: three.view(me, three.formedLines(myself: me) + [alive], local: true))).isEmpty)
        let followedID = String(repeating: "c", count: 40)
        let followed = [
            two.line(leaving, epoch: 1, extraFlags: "fail"), "\(followedID) 198.18.7.7:6379@16379 slave \(two.id(leaving)) 0 0 3 connected",
        ]
        #expect(
            !planner.repairs(three.observation(me, local: three.view(me, three.formedLines(myself: me) + followed, local: true)))
                .contains { if case .forget(_, let id, _) = $0 { id == two.id(leaving) } else { false } })
    }
}
