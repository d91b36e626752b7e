import Declaration
import Platform
import Testing

@testable import JoinLogic

/// `Planner.rebalance`: the creator's agent moves slots when the declared shard count changes, only once
/// every live agent holds the same declaration, and finishes any move left open before it plans more.
@Suite struct RebalanceTests {
    let three = Fixture(shards: 3)
    let four = Fixture(shards: 4)
    var creator: PodIdentity { four.pod(0, 0) }
    var agreeing: AgentRoster { AgentRoster(declarations: Dictionary(uniqueKeysWithValues: four.topology.pods.map { ($0.name, "4x1") })) }

    /// The creator's observation of its own node, with the roster and peers given, and every other
    /// master's view (the same lines from its side) read as the creator reads them while it moves slots.
    func observation(
        _ lines: [String], roster: AgentRoster?, peers: [PodIdentity: PeerState] = [:], declared: Fixture? = nil, ok: Bool = true
    ) -> Observation {
        let declared = declared ?? four
        let local = four.view(creator, lines, ok: true, local: true)
        var allPeers = Dictionary(uniqueKeysWithValues: peers.map { ($0.key.name, $0.value) })
        var members: [String: PeerState] = [:]
        for node in local.nodes where node.flags.master && !node.flags.myself {
            let theirs = lines.map { line in
                line.hasPrefix(node.id) ? line.replacing(" master", with: " myself,master") : line.replacing("myself,", with: "")
            }
            let pod = four.topology.pods.first { four.id($0) == node.id }!
            let view = four.view(pod, theirs, ok: ok)
            if declared.topology.pod(named: pod.name) != nil {
                allPeers[pod.name] = .observed(view)
            } else {
                members[node.id] = .observed(view)
            }
        }
        return Observation(
            me: creator, local: local, peers: allPeers, addresses: declared.allAddresses, nodeIDs: NodeIDMap(), members: members,
            roster: roster)
    }

    /// The 3-shard cluster, the new shard's master met but serving nothing.
    var grownLines: [String] {
        three.formedLines(myself: creator) + [four.line(four.pod(3, 0), epoch: 0)]
    }

    @Test func onlyTheCreatorMovesSlots() {
        let planner = Planner(topology: four.topology)
        let me = four.pod(1, 0)
        let local = four.view(me, three.formedLines(myself: me) + [four.line(four.pod(3, 0))], ok: true, local: true)
        #expect(
            planner.rebalance(four.observation(me, local: local), matcher: four.observation(me, local: local).matcher(four.topology)) == nil
        )
    }

    @Test func aBalancedClusterIsLeftToTheOtherRules() {
        let planner = Planner(topology: three.topology)
        let local = three.view(creator, three.formedLines(myself: creator), ok: true, local: true)
        let seen = Observation(me: creator, local: local, peers: [:], addresses: three.allAddresses, roster: nil)
        #expect(planner.rebalance(seen, matcher: seen.matcher(three.topology)) == nil)
        #expect(planner.plan(seen) == .converged)
    }

    @Test func theNewShardsMasterIsMetWhenItIsUpAndEmpty() {
        let planner = Planner(topology: four.topology)
        let newMaster = four.pod(3, 0)
        let seen = observation(three.formedLines(myself: creator), roster: agreeing, peers: [newMaster: .observed(four.virgin(newMaster))])
        #expect(
            planner.plan(seen)
                == .act([.meet(on: four.target(creator, local: true), ip: "198.18.3.1", port: 6379, busPort: 16379, peer: newMaster.name)]))
        // Not up yet: a wait that names it.
        guard case .wait(let text) = planner.plan(observation(three.formedLines(myself: creator), roster: agreeing)) else {
            Issue.record("expected a wait")
            return
        }
        #expect(text.contains("rc-shard3-0") && text.contains("shard 3 is declared but has no master"))
    }

    @Test func slotsMoveToTheNewShardFromEveryOldOne() {
        let planner = Planner(topology: four.topology)
        guard case .act(let actions) = planner.plan(observation(grownLines, roster: agreeing)) else {
            Issue.record("expected moves")
            return
        }
        let moves = actions.compactMap { action -> SlotMove? in if case .moveSlots(_, let move) = action { move } else { nil } }
        #expect(moves.count == 3 && moves.count == actions.count)
        #expect(moves.allSatisfy { $0.destination.id == four.id(four.pod(3, 0)) && $0.destination.name == "rc-shard3-0" })
        #expect(moves.map(\.source.name) == ["rc-shard0-0", "rc-shard1-0", "rc-shard2-0"])
        #expect(moves.reduce(0) { $0 + $1.slotCount } == 4096)
        // Shard 0's master is the creator's own node: reached at the address it reports, as MIGRATE's target would be.
        #expect(moves[0].source.endpoint == four.endpoint(creator))
        #expect(moves[0].slots == [SlotRange(4096, 5460)])
    }

    /// A destination that opened a slot before it learned the slot's owner never learns it (Redis takes
    /// no gossip for a slot it imports) and refuses every key with CLUSTERDOWN: no move before both ends
    /// know the whole cluster and each other.
    @Test func noMoveBeforeBothEndsKnowTheWholeCluster() {
        let planner = Planner(topology: four.topology)
        guard case .wait(let text) = planner.plan(observation(grownLines, roster: agreeing, ok: false)) else {
            Issue.record("moved slots to a node that does not know the cluster")
            return
        }
        #expect(text.hasPrefix("not moving slots yet: rc-shard3-0 has not learned the whole cluster yet"))
    }

    @Test func agentsThatHoldAnotherDeclarationStopEveryMove() {
        let planner = Planner(topology: four.topology)
        var declarations = agreeing.declarations
        declarations["rc-shard1-1"] = "3x1"
        declarations["rc-shard2-0"] = "3x1"
        let decision = planner.plan(observation(grownLines, roster: AgentRoster(declarations: declarations)))
        #expect(
            decision
                == .wait(
                    "not moving slots: the declaration here is 4x1 (shards x replicas) but the agents of rc-shard1-1 (3x1), rc-shard2-0 (3x1) hold another; waiting for every pod to run with the same declaration"
                ))
        guard case .wait = planner.plan(observation(grownLines, roster: nil)) else {
            Issue.record("moved slots without reading the agents' declarations")
            return
        }
    }

    @Test func aFailingMasterStopsTheMovesUntilItsFailover() {
        let planner = Planner(topology: four.topology)
        let lines = grownLines.map { $0.hasPrefix(four.id(four.pod(2, 0))) ? $0.replacing(" master ", with: " master,fail ") : $0 }
        #expect(
            planner.plan(observation(lines, roster: agreeing))
                == .wait("not moving slots: rc-shard2-0 is failing; waiting for its shard's failover"))
    }

    @Test func aShrunkDeclarationDrainsTheLeavingShard() {
        let planner = Planner(topology: three.topology)
        let roster = AgentRoster(declarations: Dictionary(uniqueKeysWithValues: three.topology.pods.map { ($0.name, "3x1") }))
        let seen = observation(four.formedLines(myself: creator), roster: roster, declared: three)
        guard case .act(let actions) = planner.plan(seen) else {
            Issue.record("expected moves, got \(planner.plan(seen))")
            return
        }
        let moves = actions.compactMap { action -> SlotMove? in if case .moveSlots(_, let move) = action { move } else { nil } }
        #expect(moves.allSatisfy { $0.source.name == "rc-shard3-0" })
        #expect(moves.map(\.destination.name) == ["rc-shard0-0", "rc-shard1-0", "rc-shard2-0"])
        #expect(moves.reduce(0) { $0 + $1.slotCount } == 4096)
    }

    /// A shrink that would leave slots with no owner: the leaving shard's pods deleted before they drained.
    @Test func aLeavingShardDeletedBeforeItDrainedIsNamedNotGuessed() {
        let planner = Planner(topology: three.topology)
        let roster = AgentRoster(declarations: Dictionary(uniqueKeysWithValues: three.topology.pods.map { ($0.name, "3x1") }))
        // Its replica's entry already forgotten (a gone replica is), its master's failed with the slots.
        let lines = four.formedLines(myself: creator).filter { !$0.hasPrefix(four.id(four.pod(3, 1))) }.map { line in
            line.hasPrefix(four.id(four.pod(3, 0))) ? line.replacing(" master ", with: " master,fail ") : line
        }
        guard case .wait(let text) = planner.plan(observation(lines, roster: roster, declared: three)) else {
            Issue.record("acted with a leaving shard gone: \(planner.plan(observation(lines, roster: roster, declared: three)))")
            return
        }
        #expect(text.contains("rc-shard3-0, beyond the declaration, still serves 4096 slots but is gone with no replica left"))
    }

    /// The creator killed mid-move: the source shows `[slot->-id]`, the destination `[slot-<-id]`. The
    /// slot is finished before anything else, to the same destination.
    @Test func aMoveLeftOpenIsFinishedFirst() {
        let planner = Planner(topology: four.topology)
        let destination = four.id(four.pod(3, 0))
        var lines = grownLines
        lines[0] += " [5000->-\(destination)]"
        let decision = planner.plan(observation(lines, roster: agreeing))
        guard case .act(let actions) = decision, actions.count == 1, case .moveSlots(_, let move) = actions[0] else {
            Issue.record("expected one move, got \(decision)")
            return
        }
        #expect(move.slots == [SlotRange(5000, 5000)] && move.source.name == "rc-shard0-0" && move.destination.id == destination)
    }

    /// The destination's master was killed mid-move and its replica took over: the slot goes to the
    /// replica now serving the destination's shard.
    @Test func anOpenSlotFollowsItsDestinationsFailover() {
        let planner = Planner(topology: four.topology)
        let oldDestination = four.id(four.pod(3, 0))
        var lines = three.formedLines(myself: creator)
        lines[0] += " [5000->-\(oldDestination)]"
        lines += [
            four.line(four.pod(3, 0), role: "replica", master: four.pod(3, 1), epoch: 5),
            four.line(four.pod(3, 1), epoch: 5),
        ]
        let decision = planner.plan(observation(lines, roster: agreeing))
        guard case .act(let actions) = decision, actions.count == 1, case .moveSlots(_, let move) = actions[0] else {
            Issue.record("expected one move, got \(decision)")
            return
        }
        #expect(move.slots == [SlotRange(5000, 5000)] && move.destination.name == "rc-shard3-1")
    }

    /// The slot arrived (the destination took it) but the source still shows it open: settled there.
    @Test func aSlotThatArrivedIsSettledOnTheSourceOnly() {
        let planner = Planner(topology: four.topology)
        var lines = three.formedLines(myself: creator).map { line in
            line.hasPrefix(four.id(creator)) ? line.replacing("0-5460", with: "0-4999 5001-5460") : line
        }
        lines[0] += " [5000->-\(four.id(four.pod(3, 0)))]"
        lines.append(four.line(four.pod(3, 0), epoch: 5, slots: [SlotRange(5000, 5000)]))
        let decision = planner.plan(observation(lines, roster: agreeing))
        guard case .act(let actions) = decision, actions.count == 1, case .moveSlots(_, let move) = actions[0] else {
            Issue.record("expected one move, got \(decision)")
            return
        }
        #expect(move.source.name == "rc-shard0-0" && move.destination.name == "rc-shard3-0" && move.slots == [SlotRange(5000, 5000)])
    }

    @Test func theRosterCountsEachAgentByItsLatestConnection() {
        let text = """
            id=3 addr=198.18.0.2:50000 laddr=198.18.0.1:6379 fd=8 name=redis-init.rc-shard0-1.3x1 age=900 idle=300 flags=N
            id=4 addr=198.18.0.2:50002 laddr=198.18.0.1:6379 fd=9 name=redis-init.rc-shard0-1.4x1 age=3 idle=1 flags=N
            id=5 addr=198.18.1.1:50004 laddr=198.18.0.1:6379 fd=10 name= age=3 idle=1 flags=N
            id=6 addr=198.18.1.1:50006 laddr=198.18.0.1:6379 fd=11 name=redis-init.rc-shard1-0.3x1 age=30 idle=2 flags=N
            id=7 addr=127.0.0.1:50008 laddr=127.0.0.1:6379 fd=12 name=some-client age=3 idle=1 flags=N
            """
        let roster = AgentRoster(parsingClientList: text)
        #expect(roster.declarations == ["rc-shard0-1": "4x1", "rc-shard1-0": "3x1"])
        #expect(roster.disagreeing(with: "4x1").map(\.pod) == ["rc-shard1-0"])
        #expect(AgentRoster.clientName(pod: "rc-shard0-1", topology: four.topology) == "redis-init.rc-shard0-1.4x1")
    }

    @Test func theCreatorsOwnNodeIsNotKeptWaitingByTheMoves() {
        // The creator came back wiped while the declaration rolls out: its replica serves shard 0, and an
        // agent still holds 3x1, so no slot moves; its own node follows its shard's master meanwhile.
        let planner = Planner(topology: four.topology)
        let replica = four.pod(0, 1)
        let lines =
            grownLines.filter { !$0.contains("rc-shard0-") }
            + [four.line(replica, epoch: 5, slots: [three.topology.slots(ofShard: 0)]), four.line(creator, myself: true, generation: 1)]
        let disagreeing = AgentRoster(declarations: ["rc-shard1-0": "3x1", "rc-shard0-1": "4x1"])
        #expect(
            planner.plan(observation(lines, roster: disagreeing))
                == .act([.replicate(on: four.target(creator, local: true), masterID: four.id(replica), master: replica.name)]))
        // Once it follows it, the wait for the agents is what it shows.
        let following =
            grownLines.filter { !$0.contains("rc-shard0-") } + [
                four.line(replica, epoch: 5, slots: [three.topology.slots(ofShard: 0)]),
                four.line(creator, myself: true, role: "replica", master: replica, epoch: 5, generation: 1),
            ]
        guard case .wait(let text) = planner.plan(observation(following, roster: disagreeing)) else {
            Issue.record("expected the wait for the agents")
            return
        }
        #expect(text.contains("rc-shard1-0 (3x1)"))
    }
}
