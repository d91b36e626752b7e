import Declaration
import Platform

extension Planner {
    /// The creator's agent moves slots when the declared shard count and the cluster differ: the one
    /// driver, as it is the one creator, so no two agents ever plan moves from different observations.
    /// A driver killed mid-move leaves open slots; whoever runs for the creator's pod next finishes them
    /// from what it observes, before it plans anything new (docs/DESIGN.md, "Changing the declaration").
    ///
    /// | the cluster, in the creator's node's view | decision |
    /// |---|---|
    /// | not every slot served, or balanced for the declaration with no slot left open | the other rules decide |
    /// | a live agent holds another declaration | wait, naming it |
    /// | a master serving slots nobody can name, or two masters for one shard, neither its designated one | wait |
    /// | two masters for one shard, one its designated master (the ordinal layout re-mapped the other) | the other gives all its slots |
    /// | a master involved is failing or unknown to this node | wait for the failover |
    /// | a master beyond the declaration is gone with no replica (deleted before it drained) | wait, naming the fix |
    /// | a declared shard has no master, its designated master a replica of another shard's (ordinal layout) | take the slots back, or detach it (`detach`) |
    /// | a declared shard has no master in the cluster | MEET its designated master when it is up and fresh; else wait |
    /// | a slot left open by an interrupted move | finish it: to the master now serving the destination's shard |
    /// | a move's end not observed, not `cluster_state:ok`, or not knowing the other end | wait |
    /// | otherwise | the moves `SlotBalance` gives |
    func rebalance(_ observation: Observation, matcher: PodMatcher) -> Decision? {
        guard observation.me == topology.creator else { return nil }
        let local = observation.local
        guard !local.isAlone, local.info.slotsAssigned == SlotRange.slotCount else { return nil }
        let open = openSlots(observation)
        let holders: [SlotBalance.Holder]
        switch rebalanceHolders(local, matcher: matcher) {
        case .wait(let text): return open.isEmpty && !mayBeUnbalanced(local, matcher: matcher) ? nil : .wait(text)
        case .holders(let found): holders = found
        }
        let missing = (0..<topology.shards).filter { shard in !holders.contains { $0.shard == shard } }
        if open.isEmpty && missing.isEmpty && SlotBalance.isBalanced(holders, shards: topology.shards) { return nil }

        let tag = AgentRoster.tag(of: topology)
        guard let roster = observation.roster else { return .wait("waiting to read the agents' declarations") }
        let others = roster.disagreeing(with: tag)
        if !others.isEmpty {
            let named = others.prefix(5).map { "\($0.pod) (\($0.tag))" }.joined(separator: ", ")
            return .wait(
                "not moving slots: the declaration here is \(tag) (shards x replicas) but the agent\(others.count == 1 ? "" : "s") of "
                    + "\(named)\(others.count > 5 ? " and \(others.count - 5) more" : "") hold\(others.count == 1 ? "s" : "") another; "
                    + "waiting for every pod to run with the same declaration")
        }
        if let first = missing.first { return joinNewMaster(ofShard: first, observation, matcher: matcher) }
        for holder in holders {
            guard let node = local.node(withID: holder.id), node.isUsable || node.flags.myself else {
                let name = name(ofNodeID: holder.id, local, matcher)
                let heirs = local.nodes.filter { $0.masterID == holder.id && $0.isUsable }
                if holder.shard == nil && heirs.isEmpty {
                    return .wait(
                        "not moving slots: \(name), beyond the declaration, still serves \(holder.slots.reduce(0) { $0 + $1.count }) "
                            + "slots but is gone with no replica left: its pods were deleted before they drained. Start them again "
                            + "on their volumes so the slots can move; nothing was changed")
                }
                return .wait("not moving slots: \(name) is failing; waiting for its shard's failover")
            }
        }
        let decision: Decision
        if !open.isEmpty {
            decision = finishOpenSlots(open, holders: holders, observation, matcher: matcher)
        } else {
            let transfers = SlotBalance.transfers(holders, shards: topology.shards)
            let moves = transfers.compactMap { move($0.sourceID, $0.destinationID, $0.slots, local, matcher) }
            guard moves.count == transfers.count, !moves.isEmpty else { return .wait("not moving slots: a master has no address yet") }
            decision = .act(moves)
        }
        guard case .act(let actions) = decision else { return decision }
        for case .moveSlots(_, let move) in actions {
            if let problem = unready(move.destination, knowing: move.source, observation)
                ?? unready(move.source, knowing: move.destination, observation)
            {
                return .wait("not moving slots yet: \(problem)")
            }
        }
        return decision
    }

    /// Why `end` cannot take part in a move yet: a node must have learned the whole cluster (every slot's
    /// owner, `cluster_state:ok`) and the other end before it opens a slot. A destination that opens a
    /// slot first never learns that slot's owner (Redis takes no gossip about a slot it imports) and
    /// refuses every key for it with CLUSTERDOWN.
    func unready(_ end: SlotMove.End, knowing other: SlotMove.End, _ observation: Observation) -> String? {
        guard let view = observation.view(ofNodeID: end.id) else { return "waiting to read \(end.name)" }
        guard view.info.isOK, view.info.slotsAssigned == SlotRange.slotCount else {
            return "\(end.name) has not learned the whole cluster yet (\(view.info.slotsAssigned) of 16384 slots, cluster_state not ok)"
        }
        guard let entry = view.node(withID: other.id), !entry.flags.handshake else { return "\(end.name) does not know \(other.name) yet" }
        return nil
    }

    /// Whether the creator's node shows a cluster whose shards are not the declared ones (or a move of
    /// its own left open): then the creator reads every master, to see their open slots, and the
    /// declared masters that have not joined.
    public func needsRebalance(for me: PodIdentity, local: NodeView?, matcher: PodMatcher) -> Bool {
        guard me == topology.creator, let local, !local.isAlone, local.info.slotsAssigned == SlotRange.slotCount else { return false }
        if local.myself.hasOpenSlots { return true }
        switch rebalanceHolders(local, matcher: matcher) {
        case .wait: return mayBeUnbalanced(local, matcher: matcher)
        case .holders(let holders):
            let missing = (0..<topology.shards).contains { shard in !holders.contains { $0.shard == shard } }
            return missing || !SlotBalance.isBalanced(holders, shards: topology.shards)
        }
    }

    /// The pods the creator reads while it moves slots: the declared masters' pods and every declared
    /// shard's designated master.
    func rebalancePods(_ local: NodeView, matcher: PodMatcher) -> [PodIdentity] {
        let serving = local.nodes.filter { $0.flags.master && $0.ownsSlots && !$0.flags.failing }.compactMap(matcher.pod(of:))
        return topology.designatedMasters + serving
    }

    /// The masters beyond the declaration that serve slots, which the creator reads by address while it
    /// moves their slots away.
    public func rebalanceMembers(_ local: NodeView, matcher: PodMatcher) -> [ClusterNode] {
        local.nodes.filter { node in
            guard node.flags.master, node.ownsSlots, node.isUsable, case .undeclared = matcher.identify(node) else { return false }
            return true
        }
    }

    /// The masters that hold slots or are to take some: one per declared shard (a master without slots
    /// of that shard when none serves any), and every master beyond the declaration that serves slots.
    enum RebalanceHolders {
        case holders([SlotBalance.Holder])
        case wait(String)
    }

    func rebalanceHolders(_ local: NodeView, matcher: PodMatcher) -> RebalanceHolders {
        var holders: [SlotBalance.Holder] = []
        var declared: [Int: [(ClusterNode, PodIdentity)]] = [:]
        for node in local.nodes where node.flags.master && node.ownsSlots {
            switch matcher.identify(node) {
            case .ours(let pod): declared[pod.shard, default: []].append((node, pod))
            case .undeclared: holders.append(SlotBalance.Holder(id: node.id, shard: nil, slots: node.slots))
            case .foreign, .unknown:
                return .wait("not moving slots: cannot tell which pod node \(node.id.prefix(8)) at \(node.ip):\(node.port) is")
            }
        }
        // Two masters of one shard: in the ordinal layout, a pod re-mapped by a new shard count still serves
        // its old shard's slots beside the shard's designated master; it gives them all away.
        for (shard, masters) in declared.sorted(by: { $0.key < $1.key }) {
            let designated = masters.filter { $0.1.isDesignatedMaster }
            guard masters.count == 1 || designated.count == 1 else {
                return .wait(
                    "not moving slots: shard \(shard) is served by \(masters.count) masters (\(masters.map { String($0.0.id.prefix(8)) }.joined(separator: ", "))); "
                        + "waiting for the cluster to settle")
            }
            for (node, pod) in masters {
                let keeps = masters.count == 1 || pod.isDesignatedMaster
                holders.append(SlotBalance.Holder(id: node.id, shard: keeps ? shard : nil, slots: node.slots))
            }
        }
        for shard in 0..<topology.shards where !holders.contains(where: { $0.shard == shard }) {
            let candidates = local.nodes.filter { node in
                node.flags.master && !node.ownsSlots && (node.isUsable || node.flags.myself) && matcher.pod(of: node)?.shard == shard
            }
            if let master = candidates.min(by: { matcher.pod(of: $0)!.ordinal < matcher.pod(of: $1)!.ordinal }) {
                holders.append(SlotBalance.Holder(id: master.id, shard: shard, slots: []))
            }
        }
        return .holders(holders)
    }

    /// Whether the local view may show a cluster to rebalance even where it cannot be planned: then the
    /// creator waits and says why rather than let the other rules run.
    func mayBeUnbalanced(_ local: NodeView, matcher: PodMatcher) -> Bool {
        local.nodes.contains { node in
            guard node.flags.master, node.ownsSlots else { return false }
            if case .undeclared = matcher.identify(node) { return true }
            return false
        }
    }

    /// A declared shard no master serves yet: its designated master, up, alone and empty, is introduced.
    func joinNewMaster(ofShard shard: Int, _ observation: Observation, matcher: PodMatcher) -> Decision {
        let pod = topology.designatedMaster(of: shard)
        guard let view = observation.view(of: pod) else {
            return .wait("waiting for \(describe(pod, in: observation)) to join: shard \(shard) is declared but has no master")
        }
        if let detach = detach(pod, ofShard: shard, view, observation, matcher: matcher) { return detach }
        let local = observation.local
        let (ip, port, busPort) = view.reachableAddress
        if local.isHandshaking(withIP: ip, port: port) || local.node(withID: view.myself.id) != nil {
            return .wait("waiting for \(pod.name) to join as shard \(shard)'s master")
        }
        guard view.isVirgin else {
            return .wait(
                "not moving slots: \(pod.name), shard \(shard)'s new master, is not empty (it knows other nodes, holds keys "
                    + "or serves slots); move its nodes.conf and data aside and restart it")
        }
        let target = Action.Target(pod: observation.me, endpoint: local.endpoint)
        return .act([.meet(on: target, ip: ip, port: port, busPort: busPort, peer: pod.name)])
    }

    /// A declared shard's designated master that is a replica of another shard's master. Two ways in, in the
    /// ordinal layout, which numbers pods by the shard count: another count makes a replica's pod a new
    /// shard's master; or an agent of the old count handed its master's slots to a replica whose pod the
    /// new count puts in another shard. Then, once every agent holds the declaration and that master is live:
    ///
    /// | the master it follows | decision |
    /// |---|---|
    /// | not a designated master (a re-mapped or promoted replica), or the replica is the creator | take the slots back: `CLUSTER FAILOVER` on the replica |
    /// | another shard's designated master | reset the replica (its data is a copy) to an empty node, introduced next as the new master |
    func detach(_ pod: PodIdentity, ofShard shard: Int, _ view: NodeView, _ observation: Observation, matcher: PodMatcher) -> Decision? {
        let myself = view.myself
        guard myself.flags.replica, !myself.ownsSlots, !myself.hasOpenSlots, let masterID = myself.masterID else { return nil }
        let local = observation.local
        guard let master = local.node(withID: masterID), master.flags.master, master.ownsSlots,
            master.isUsable || master.flags.myself, let known = local.node(withID: myself.id), known.masterID == masterID
        else {
            return .wait("waiting for \(pod.name), shard \(shard)'s master, to follow a live master before it takes its place")
        }
        let target = Action.Target(pod: pod, endpoint: view.endpoint)
        let masterName = name(ofNodeID: masterID, local, matcher)
        if pod == topology.creator || !(matcher.pod(of: master)?.isDesignatedMaster ?? false) {
            return .act([.failover(on: target, shard: shard, from: masterName)])
        }
        return .act([.detach(on: target, shard: shard, master: masterName)])
    }

    /// A slot a move left open: what a node's own line shows, `[slot->-id]` on the source, `[slot-<-id]`
    /// on the destination.
    struct OpenSlot: Equatable {
        let slot: Int
        /// The node that shows the marker.
        let holder: String
        /// The node the slot was going to.
        let destination: String
    }

    func openSlots(_ observation: Observation) -> [OpenSlot] {
        var open: [OpenSlot] = []
        var seen = Set<String>()
        for view in observation.allViews where seen.insert(view.myself.id).inserted {
            let myself = view.myself
            for (slot, to) in myself.migrating { open.append(OpenSlot(slot: slot, holder: myself.id, destination: to)) }
            for (slot, _) in myself.importing { open.append(OpenSlot(slot: slot, holder: myself.id, destination: myself.id)) }
        }
        return open.sorted { ($0.slot, $0.holder) < ($1.slot, $1.holder) }
    }

    /// Each open slot goes where it was going: to the master that now serves the destination's shard
    /// (the destination itself, or the replica promoted in its place), from the master serving it now.
    /// A slot that already arrived is settled on the node that still shows it open.
    func finishOpenSlots(
        _ open: [OpenSlot], holders: [SlotBalance.Holder], _ observation: Observation, matcher: PodMatcher
    ) -> Decision {
        let local = observation.local
        var slotsByPair: [[String]: [Int]] = [:]
        for entry in open {
            guard let owner = local.nodes.first(where: { $0.flags.master && $0.owns(entry.slot) }) else {
                return .wait("not moving slots: slot \(entry.slot) has no master in this node's view")
            }
            guard let destination = currentMaster(for: entry.destination, local, matcher: matcher) else {
                return .wait(
                    "not moving slots: slot \(entry.slot)'s destination \(entry.destination.prefix(8)) has no live master; waiting for its failover"
                )
            }
            let source = owner.id == destination ? entry.holder : owner.id
            guard source != destination else { continue }
            slotsByPair[[source, destination], default: []].append(entry.slot)
        }
        var moves: [Action] = []
        for pair in slotsByPair.keys.sorted(by: { $0.joined() < $1.joined() }) {
            let slots = SlotBalance.ranges(of: Array(Set(slotsByPair[pair]!)).sorted())
            guard let move = move(pair[0], pair[1], slots, local, matcher) else {
                return .wait("not moving slots: a master has no address yet")
            }
            moves.append(move)
        }
        return moves.isEmpty ? .wait("waiting for the open slots to settle") : .act(moves)
    }

    /// The usable master that stands for `id` now: itself while it serves slots; else the master serving
    /// its pod's shard (its replica promoted in its place); else itself, or its master if it became a replica.
    func currentMaster(for id: String, _ local: NodeView, matcher: PodMatcher) -> String? {
        let node = local.node(withID: id)
        if let node, node.flags.master, node.ownsSlots, node.isUsable || node.flags.myself { return id }
        if let node, let pod = matcher.durablePod(of: node),
            let owner = local.nodes.first(where: { other in
                other.flags.master && other.ownsSlots && (other.isUsable || other.flags.myself)
                    && matcher.pod(of: other)?.shard == pod.shard
            })
        {
            return owner.id
        }
        if let node, node.flags.master, node.isUsable || node.flags.myself { return id }
        if let masterID = node?.masterID, let master = local.node(withID: masterID), master.isUsable || master.flags.myself {
            return masterID
        }
        guard let node, let pod = matcher.durablePod(of: node) else { return nil }
        let shardMasters = local.nodes.filter { other in
            other.flags.master && (other.isUsable || other.flags.myself) && matcher.pod(of: other)?.shard == pod.shard
        }
        return (shardMasters.first(where: \.ownsSlots) ?? shardMasters.first)?.id
    }

    /// The action moving `slots` from `sourceID` to `destinationID`, both known to the local (the creator's) node.
    func move(_ sourceID: String, _ destinationID: String, _ slots: [SlotRange], _ local: NodeView, _ matcher: PodMatcher) -> Action? {
        guard let source = end(sourceID, local, matcher), let destination = end(destinationID, local, matcher) else { return nil }
        // The creator's agent drives every move from its pod: the action's target is its own node.
        let driver = Action.Target(pod: topology.creator, endpoint: local.endpoint)
        return .moveSlots(on: driver, move: SlotMove(source: source, destination: destination, slots: slots))
    }

    func end(_ id: String, _ local: NodeView, _ matcher: PodMatcher) -> SlotMove.End? {
        guard let node = local.node(withID: id) else { return nil }
        let ip = node.flags.myself ? local.reachableAddress.ip : node.ip
        guard let address = IPAddress(ip), let port = UInt16(exactly: node.port) else { return nil }
        return SlotMove.End(
            id: id, endpoint: Endpoint(address, port), name: name(ofNodeID: id, local, matcher), host: host(of: node, matcher))
    }

    /// The DNS name of `node`'s pod, declared or beyond the declaration.
    func host(of node: ClusterNode, _ matcher: PodMatcher) -> String? {
        switch matcher.identify(node) {
        case .ours(let pod): return pod.host
        case .undeclared(let podName): return topology.undeclaredPod(named: podName)?.host
        default: return nil
        }
    }

    func name(ofNodeID id: String, _ local: NodeView, _ matcher: PodMatcher) -> String {
        guard let node = local.node(withID: id) else { return "node \(id.prefix(8))" }
        switch matcher.identify(node) {
        case .ours(let pod): return pod.name
        case .undeclared(let podName): return podName
        default: return "node \(id.prefix(8))"
        }
    }
}
