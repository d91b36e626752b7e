import Declaration
import Platform
import Testing

@testable import JoinLogic

/// `Handover`: whom a master about to stop hands its slots to (3x2: shard 1's master and two replicas).
@Suite struct HandoverTests {
    let f = Fixture(shards: 3, replicas: 2)
    var master: PodIdentity { f.pod(1, 0) }
    var matcher: PodMatcher { PodMatcher(topology: f.topology, addresses: [:]) }

    func link(_ pod: PodIdentity, online: Bool = true, offset: Int = 100, lag: Int = 0) -> ReplicaLinks.Link {
        ReplicaLinks.Link(ip: f.ip(pod), port: 6379, online: online, offset: offset, lag: lag)
    }

    /// Shard 1's master serving its slots, with its two replicas listed (`replicaLines` to change them).
    func local(replicaLines: [String]? = nil) -> NodeView {
        let slots = [f.topology.slots(ofShard: 1)]
        let replicas = replicaLines ?? [1, 2].map { f.line(f.pod(1, $0), role: "replica", master: master, epoch: 2) }
        return f.view(master, [f.line(master, myself: true, epoch: 2, slots: slots)] + replicas, ok: true, local: true)
    }

    func decide(_ local: NodeView, _ links: [ReplicaLinks.Link]) -> Handover.Decision {
        Handover.decide(local: local, links: ReplicaLinks(offset: 100, links: links), me: master, matcher: matcher)
    }

    /// A pod beyond the declaration (draining shard 3 of a 4-shard cluster now declared 3) still hands its
    /// slots to a replica of its own StatefulSet before it stops.
    @Test func aDrainingPodHandsOverToItsOwnReplica() {
        let four = Fixture(shards: 4, replicas: 1)
        let three = Fixture(shards: 3, replicas: 1)
        let leaving = three.topology.undeclaredPod(named: "rc-shard3-0")!
        #expect(leaving.shard == 3 && leaving.ordinal == 0 && leaving.host == four.pod(3, 0).host)
        let lines = [
            four.line(four.pod(3, 0), myself: true, epoch: 4, slots: [SlotRange(12288, 12300)]),
            four.line(four.pod(3, 1), role: "replica", master: four.pod(3, 0), epoch: 4),
        ]
        let local = four.view(four.pod(3, 0), lines, ok: true, local: true)
        let links = ReplicaLinks(
            offset: 100, links: [ReplicaLinks.Link(ip: four.ip(four.pod(3, 1)), port: 6379, online: true, offset: 100, lag: 0)])
        let decision = Handover.decide(
            local: local, links: links, me: leaving, matcher: PodMatcher(topology: three.topology, addresses: [:]))
        let heir = three.topology.undeclaredPod(named: "rc-shard3-1")!
        #expect(
            decision
                == .handOver(
                    .failover(on: Action.Target(pod: heir, endpoint: four.endpoint(four.pod(3, 1))), shard: 3, from: "rc-shard3-0")))
    }

    @Test func theMostCaughtUpReplicaTakesOver() {
        let decision = decide(local(), [link(f.pod(1, 1), offset: 90), link(f.pod(1, 2), offset: 100)])
        #expect(decision == .handOver(.failover(on: f.target(f.pod(1, 2)), shard: 1, from: master.name)))
    }

    @Test func equalOffsetsGoToTheLowestOrdinal() {
        let decision = decide(local(), [link(f.pod(1, 2)), link(f.pod(1, 1))])
        #expect(decision == .handOver(.failover(on: f.target(f.pod(1, 1)), shard: 1, from: master.name)))
    }

    @Test func aReplicaNotStreamingIsPassedOver() {
        let cases: [[ReplicaLinks.Link]] = [
            [link(f.pod(1, 1), online: false, offset: 200), link(f.pod(1, 2), offset: 10)],
            [link(f.pod(1, 1), offset: 200, lag: 3), link(f.pod(1, 2), offset: 10)],
            [link(f.pod(1, 2), offset: 10)],
        ]
        for links in cases {
            #expect(decide(local(), links) == .handOver(.failover(on: f.target(f.pod(1, 2)), shard: 1, from: master.name)), "\(links)")
        }
    }

    /// The replica is back from a restart and its full sync is under way: the master waits for it.
    @Test func aReplicaStillSyncingIsWaitedFor() {
        let cases: [[ReplicaLinks.Link]] = [
            [link(f.pod(1, 1), online: false), link(f.pod(1, 2), online: false)],
            [link(f.pod(1, 1), lag: 5)],
            [],
        ]
        for links in cases {
            #expect(
                decide(local(replicaLines: [f.line(f.pod(1, 1), role: "replica", master: master, epoch: 2)]), links)
                    == .awaitHeir("waiting for a replica of shard 1: rc-shard1-1 is not streaming this master's writes yet"),
                "\(links)")
        }
    }

    @Test func aReplicaDisconnectedOrFailingIsPassedOver() {
        let lines = [
            f.line(f.pod(1, 1), role: "replica", master: master, epoch: 2, linkDown: true),
            f.line(f.pod(1, 2), role: "replica", master: master, epoch: 2, extraFlags: "fail?"),
        ]
        guard case .noHeir(let why) = decide(local(replicaLines: lines), [link(f.pod(1, 1)), link(f.pod(1, 2))]) else {
            Issue.record("expected no heir")
            return
        }
        #expect(why == "no replica can take shard 1 over: rc-shard1-1 is not connected; rc-shard1-2 is not connected")
    }

    @Test func aReplicaOfAnotherShardIsNeverTheHeir() {
        let stranger = f.line(f.pod(2, 1), role: "replica", master: master, epoch: 2)
        guard case .noHeir(let why) = decide(local(replicaLines: [stranger]), [link(f.pod(2, 1))]) else {
            Issue.record("expected no heir")
            return
        }
        #expect(why == "no replica can take shard 1 over: 198.18.2.2:6379 is not a pod of shard 1")
    }

    @Test func aLoneMasterHasNoHeir() {
        #expect(decide(local(replicaLines: []), []) == .noHeir("no replica can take shard 1 over: it has no replica"))
    }

    @Test func aReplicaOrASlotlessMasterHasNothingToHandOver() {
        let replica = f.view(
            f.pod(1, 1), [f.line(f.pod(1, 1), myself: true, role: "replica", master: master, epoch: 2)], local: true)
        #expect(
            Handover.decide(local: replica, links: ReplicaLinks(offset: 0, links: []), me: f.pod(1, 1), matcher: matcher)
                == .servesNoSlots("this node is a replica"))
        let empty = f.view(master, [f.line(master, myself: true)], local: true)
        #expect(decide(empty, []) == .servesNoSlots("this node is a master without slots"))
    }

    @Test func linksAreParsedFromInfoReplication() {
        let text = """
            # Replication\r
            role:master\r
            connected_slaves:2\r
            slave0:ip=198.18.1.2,port=6379,state=online,offset=5000,lag=0\r
            slave1:ip=198.18.1.3,port=6380,state=wait_bgsave,offset=0,lag=1\r
            master_failover_state:no-failover\r
            master_repl_offset:5012\r
            slave_read_repl_offset:1\r
            """
        let links = ReplicaLinks(parsing: text)
        #expect(links.offset == 5012)
        #expect(
            links.links == [
                .init(ip: "198.18.1.2", port: 6379, online: true, offset: 5000, lag: 0),
                .init(ip: "198.18.1.3", port: 6380, online: false, offset: 0, lag: 1),
            ])
        #expect(ReplicaLinks(parsing: "role:slave\r\nslave_repl_offset:7\r\n").links.isEmpty)
    }
}
