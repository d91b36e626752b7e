import Declaration
import Platform
import Testing

@testable import JoinLogic

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
        #expect(
            planner.plan(observation)
                == .act([.replicate(on: f.target(replica2, local: true), masterID: f.id(master2), master: "rc-shard2-0")]))

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
        let seen = f.observation(
            replica2, local: local(suspected, replication: nil, ok: true),
            peers: [master2: .observed(wiped), creator: .observed(f.view(creator, creatorLines, ok: true))])
        #expect(planner.plan(seen) == .act([.takeOver(on: f.target(replica2, local: true), shard: 2)]))
        let notSeen = f.observation(
            replica2, local: local(suspected, replication: nil, ok: true),
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
        #expect(
            planner.plan(observation) == .act([.takeOver(on: target, shard: 2), .addSlots(on: target, ranges: [SlotRange(10923, 16383)])]))
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
            [
                f.line(
                    promoted, myself: myself == promoted, epoch: 4, slots: [f.topology.slots(ofShard: 0)],
                    at: myself == promoted ? "198.18.9.7" : nil),
                f.line(f.pod(1, 0), myself: myself == f.pod(1, 0), epoch: 2, slots: [f.topology.slots(ofShard: 1)]),
                f.line(f.pod(2, 0), myself: myself == f.pod(2, 0), epoch: 3, slots: [f.topology.slots(ofShard: 2)]),
            ]
        }
        let promotedView = f.view(promoted, lines(myself: promoted))
        #expect(promotedView.reachableAddress.ip == "198.18.0.2")
        let peers: [PodIdentity: PeerState] = [
            promoted: .observed(promotedView), f.pod(1, 0): .observed(f.view(f.pod(1, 0), lines(myself: f.pod(1, 0)), keys: 3)),
            f.pod(2, 0): .observed(f.view(f.pod(2, 0), lines(myself: f.pod(2, 0)), keys: 3)),
        ]
        #expect(
            planner.plan(f.observation(creator, local: wiped, peers: peers))
                == .act([
                    .meet(on: f.target(creator, local: true), ip: "198.18.0.2", port: 6379, busPort: 16379, peer: "rc-shard0-1"),
                    .replicate(on: f.target(creator, local: true), masterID: f.id(promoted), master: "rc-shard0-1"),
                ]))
        let local = f.view(
            promoted, [f.line(promoted, myself: true, epoch: 4, slots: [f.topology.slots(ofShard: 0)], at: "198.18.9.7")], local: true)
        #expect(local.reachableAddress.ip == "198.18.9.7")
    }

    /// Found by the proving ground (test_foreign_nodes_conf_is_refused_untouched): a pod whose volume holds
    /// another cluster's nodes.conf serves that cluster's slots under its names. A fresh creator must not
    /// take it for shard 0's owner and MEET it where it answers.
    @Test func aNodeOfAnotherClusterIsNeverFollowedOrMet() {
        let creator = f.pod(0, 0)
        let stranger = f.pod(2, 0)
        // Its agent has already given it our pod's hostname; its nodes.conf still names the other cluster's.
        let foreign = f.view(
            stranger,
            [
                "1111111111111111111111111111111111111111 198.18.200.1:6379@16379,\(stranger.host) myself,master - 0 0 1 connected 0-16383",
                "2222222222222222222222222222222222222222 198.18.200.2:6379@16379,cache-1.cache.prod.svc.cluster.local slave 1111111111111111111111111111111111111111 0 0 1 connected",
            ])
        let observation = f.observation(
            creator, local: f.virgin(creator, local: true),
            peers: [stranger: .observed(foreign), f.pod(1, 0): .observed(f.virgin(f.pod(1, 0)))])
        // The creator waits (it must not refuse, and stop, for a stranger's sake).
        guard case .wait(let reason) = planner.plan(observation) else { Issue.record("expected a wait"); return }
        #expect(reason.hasPrefix("not creating the cluster: rc-shard2-0"))
        #expect(planner.owner(ofShard: 0, in: observation, matcher: observation.matcher(f.topology)) == nil)
        #expect(
            MeetSafety.problem(local: f.virgin(creator, local: true), remote: foreign, matcher: observation.matcher(f.topology))
                == "node 22222222 (cache-1.cache.prod.svc.cluster.local) belongs to another cluster")
    }
}
