import Declaration
import Platform
import Testing

@testable import JoinLogic

/// What an agent looks at before it plans (`Planner+Scope.swift`), and the half-known pairs it mends.
@Suite struct ScopePlannerTests {
    let f = Fixture()
    var planner: Planner { Planner(topology: f.topology) }
    var master1: PodIdentity { f.pod(1, 0) }
    var replica1: PodIdentity { f.pod(1, 1) }

    @Test func whatEachAgentLooksAt() {
        let creator = f.pod(0, 0)
        #expect(planner.namesToResolve(for: creator, local: f.virgin(creator, local: true)).count == 6)
        // The creator: every designated master, and its own shard.
        #expect(
            planner.podsToObserve(for: creator, local: f.virgin(creator, local: true), addresses: f.allAddresses)
                == [master1, f.pod(2, 0), f.pod(0, 1)])
        let lone = f.virgin(replica1, local: true)
        #expect(
            planner.namesToResolve(for: replica1, local: lone).map(\.name) == ["rc-shard1-0", "rc-shard1-1", "rc-shard0-0", "rc-shard2-0"])
        #expect(planner.podsToObserve(for: replica1, local: lone, addresses: f.allAddresses) == [master1, creator])
        // A member reads the same (to see a half-known pair), and resolves only those names while every
        // entry it has is settled and it is where its name points...
        let member = f.view(replica1, f.formedLines(myself: replica1), ok: true, local: true)
        let here = IPAddress(f.ip(replica1))!
        #expect(
            planner.namesToResolve(for: replica1, local: member, myAddress: here).map(\.name) == [
                "rc-shard1-0", "rc-shard1-1", "rc-shard0-0",
            ])
        // ... every name once something may have moved: an entry failing, suspected, or without address;
        // no hostnames (Redis 6.2); or the local node itself moved.
        let pod2 = f.pod(2, 0)
        for unsettled in [
            f.line(pod2, epoch: 3, slots: [f.topology.slots(ofShard: 2)], extraFlags: "fail?"),
            f.line(pod2, epoch: 3, slots: [f.topology.slots(ofShard: 2)], extraFlags: "fail"),
            f.line(pod2, epoch: 3, slots: [f.topology.slots(ofShard: 2)], extraFlags: "noaddr"),
        ] {
            let lines = f.formedLines(myself: replica1).map { $0.hasPrefix(f.id(pod2)) ? unsettled : $0 }
            #expect(planner.namesToResolve(for: replica1, local: f.view(replica1, lines, local: true), myAddress: here).count == 6)
        }
        // A link down to a node it can name (hostname, or node ID recorded): that pod's name is enough to
        // tell whether it moved (while a cluster forms, links are down by the hundred).
        let linkDown = f.formedLines(myself: replica1).map {
            $0.hasPrefix(f.id(pod2)) ? f.line(pod2, epoch: 3, slots: [f.topology.slots(ofShard: 2)], linkDown: true) : $0
        }
        #expect(
            planner.namesToResolve(for: replica1, local: f.view(replica1, linkDown, local: true), myAddress: here).map(\.name)
                == ["rc-shard1-0", "rc-shard1-1", "rc-shard0-0", "rc-shard2-0"])
        let namelessLinkDown = f.formedLines(myself: replica1).map {
            $0.hasPrefix(f.id(pod2)) ? f.line(pod2, epoch: 3, slots: [f.topology.slots(ofShard: 2)], hostname: nil, linkDown: true) : $0
        }
        let recorded = NodeIDMap(text: "\(f.id(pod2)) rc-shard2-0\n")
        #expect(
            planner.namesToResolve(
                for: replica1, local: f.view(replica1, namelessLinkDown, local: true), myAddress: here, nodeIDs: recorded
            ).count == 4)
        // A link down that nothing names, among nodes with hostnames: an entry fresh from a handshake, not a
        // move (Redis keeps hostnames in nodes.conf). Its own scope only.
        #expect(planner.namesToResolve(for: replica1, local: f.view(replica1, namelessLinkDown, local: true), myAddress: here).count == 3)
        let handshake =
            f.formedLines(myself: replica1) + [
                "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb 198.18.9.9:6379@16379 handshake - 0 0 0 disconnected"
            ]
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
        #expect(
            planner.namesToResolve(for: creator, local: formedCreator, myAddress: IPAddress(f.ip(creator))!).map(\.name) == [
                "rc-shard0-0", "rc-shard0-1",
            ])
        #expect(planner.podsToObserve(for: creator, local: formedCreator, addresses: f.allAddresses) == [f.pod(0, 1)])
        // ... but not while one master's slots are still unknown to it (creation unfinished).
        let halfFormed = f.view(creator, f.formedLines(myself: creator).filter { !$0.contains(f.id(f.pod(2, 0))) }, local: true)
        #expect(halfFormed.info.slotsAssigned < 16384)
        #expect(planner.namesToResolve(for: creator, local: halfFormed, myAddress: IPAddress(f.ip(creator))!).count == 6)
        #expect(
            planner.podsToObserve(for: creator, local: halfFormed, addresses: f.allAddresses)
                == [master1, f.pod(2, 0), f.pod(0, 1)])
    }

    /// A master that restarted before saving the MEET it had accepted no longer knows its replica, and
    /// ignores its PINGs; the replica sees that in its master's view and MEETs it again.
    @Test func halfKnownPairIsIntroducedAgain() {
        let local = f.view(replica1, f.formedLines(myself: replica1), ok: true, local: true)
        let forgetful = f.view(master1, f.formedLines(myself: master1).filter { !$0.hasPrefix(f.id(replica1)) }, ok: true)
        let observation = f.observation(replica1, local: local, peers: [master1: .observed(forgetful)])
        #expect(
            planner.plan(observation)
                == .act([
                    .meet(on: f.target(replica1, local: true), ip: "198.18.1.1", port: 6379, busPort: 16379, peer: "rc-shard1-0")
                ]))
        // While the master is in the middle of the handshake with this node, that is just a MEET at work.
        let meeting = f.view(
            master1,
            f.formedLines(myself: master1).filter { !$0.hasPrefix(f.id(replica1)) }
                + ["bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb 198.18.1.2:6379@16379 handshake - 0 0 0 connected"], ok: true)
        #expect(planner.repairs(f.observation(replica1, local: local, peers: [master1: .observed(meeting)])).isEmpty)
        // And the other way round: the master knows this node, this node (alone) does not know it.
        let alone = f.view(master1, [f.line(master1, myself: true, epoch: 2, slots: [SlotRange(5461, 10922)])], local: true)
        let creatorView = f.view(f.pod(0, 0), f.formedLines(myself: f.pod(0, 0)), ok: true)
        let reverse = f.observation(master1, local: alone, peers: [f.pod(0, 0): .observed(creatorView)])
        #expect(
            planner.plan(reverse)
                == .act([
                    .meet(on: f.target(master1, local: true), ip: "198.18.0.1", port: 6379, busPort: 16379, peer: "rc-shard0-0")
                ]))
    }
}
