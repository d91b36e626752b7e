import Declaration
import Platform

/// The pure decision engine: from the declaration and one observation to one decision.
/// It performs no I/O; the agent observes, asks, acts, and observes again.
///
/// The rules, in the order they are tried (each a function below):
///
/// | the local node | the cluster | decision |
/// |---|---|---|
/// | knows only nodes of another cluster | - | refuse, change nothing |
/// | - | its shards are not the declared ones, in a layout that cannot move slots | wait, change nothing (`declarationChange`) |
/// | knows a pod at an address it has left | the pod answers at its new one | MEET it there (`repairs`) |
/// | reports for itself an address its name no longer gives | a peer lists it at the new one | that peer MEETs it there (`repairs`) |
/// | knows a failed old ID of a pod that is back | - | FORGET the old ID (`repairs`) |
/// | is the creator (shard 0, ordinal 0) | every designated master up and fresh | set epochs 1...M, assign each shard's range, MEET the masters (only the missing steps) |
/// | is the creator | a designated master not up yet | wait for it |
/// | is the creator | the cluster's shards are not the declared ones, or a move was left open | move slots (`rebalance`); its waits show only where the rules below find the local node converged |
/// | replica of its shard's current master | - | converged when `cluster_state:ok` (MEET first any live member a peer lists that it does not know; ask a member it lists without its master, or without the slots a peer saw it serve, for a MEET) |
/// | replica of another node | its shard has a current master | REPLICATE that master (MEET it first if unknown) |
/// | replica of its shard's master, replicating from a stale address | - | REPLICATE it again (resets the address) |
/// | replica whose master is `noaddr` in any view seen and whose pod is back with a new ID | - | lowest live ordinal: CLUSTER FAILOVER TAKEOVER |
/// | master serving slots | - | converged when `cluster_state:ok` (the same MEETs first) |
/// | master without slots, importing slots (a move into it interrupted) | - | wait for the creator's agent to finish it |
/// | master without slots, holding keys | - | refuse: replicating would drop the keys |
/// | master without slots | its shard's slots are still held by this pod's previous node | wait for the failover |
/// | master without slots | its shard has a current master | MEET it if unknown, then REPLICATE it |
/// | master without slots | its shard's slots are held only by gone nodes, no replica left | refuse; with --allow-slot-takeover take them |
/// | master without slots | no master serves its shard yet | wait (for the creator, or for the shard's master) |
public struct Planner: Sendable {
    /// The declaration every decision is relative to.
    public let topology: Topology
    /// Whether a wiped node may serve its shard's slots empty when nothing else can (`--allow-slot-takeover`).
    public let allowSlotTakeover: Bool

    /// A planner for a declaration.
    public init(topology: Topology, allowSlotTakeover: Bool = false) {
        self.topology = topology
        self.allowSlotTakeover = allowSlotTakeover
    }

    /// The decision for one observation.
    public func plan(_ observation: Observation) -> Decision {
        let matcher = observation.matcher(topology)
        if let problem = foreignCluster(observation, matcher: matcher) { return .refuse(problem) }
        if let change = declarationChange(observation, matcher: matcher) { return .wait(change) }
        if observation.me == topology.creator, let decision = bootstrap(observation, matcher: matcher) {
            return decision
        }
        let repairs = repairs(observation, matcher: matcher)
        if !repairs.isEmpty { return .act(repairs) }
        // The creator's moves come first; its wait for them only where its own node has nothing to do.
        let moving = rebalance(observation, matcher: matcher)
        if case .act = moving { return moving! }
        let role = roleRules(observation, matcher: matcher)
        if role == .converged, let moving { return moving }
        return role
    }

    /// What the local node itself needs, by its role.
    func roleRules(_ observation: Observation, matcher: PodMatcher) -> Decision {
        let myself = observation.local.myself
        if myself.flags.replica { return asReplica(observation, matcher: matcher) }
        if myself.ownsSlots { return health(observation, matcher: matcher) }
        return asMasterWithoutSlots(observation, matcher: matcher)
    }

    // MARK: - Rules

    /// A node whose nodes.conf names only another cluster's nodes is left alone (`ForeignCluster`).
    func foreignCluster(_ observation: Observation, matcher: PodMatcher) -> String? {
        ForeignCluster.refusal(
            observation.local.others.map(matcher.identify), source: "this node's nodes.conf",
            fix: "move nodes.conf (and the data) aside and restart the pod.")
    }

    func asReplica(_ observation: Observation, matcher: PodMatcher) -> Decision {
        let shard = observation.me.shard
        if let decision = replaceVanishedMaster(observation, matcher: matcher) { return decision }
        guard let owner = owner(ofShard: shard, in: observation, matcher: matcher) else {
            return .wait("waiting for shard \(shard) to have a live master serving slots \(topology.slots(ofShard: shard))")
        }
        guard observation.local.myself.masterID == owner.id else { return follow(owner, observation, matcher: matcher) }
        // A replica that learned its master's new address by gossip keeps replicating from the old one
        // (Redis updates the replication address only when the master itself tells it); REPLICATE resets it.
        if let replication = observation.local.replication, replication.isReplica, !replication.linkUp,
            let host = replication.masterHost, host != owner.ip || replication.masterPort != owner.port
        {
            let target = Action.Target(pod: observation.me, endpoint: observation.local.endpoint)
            return .act([.replicate(on: target, masterID: owner.id, master: owner.name)])
        }
        return health(observation, matcher: matcher)
    }

    /// The local replica's master is `noaddr` in a view seen (a node that lists it so never reports it
    /// failing, so no automatic failover may come) and its pod is back under another node ID: the old
    /// master is certainly gone. One replica, the lowest ordinal still live, takes the shard over without
    /// an election (an election may never get its majority); the others wait for it. A replica that never
    /// learned its master's slots also claims its shard's declared range where its node sees no other
    /// owner; the takeover's epoch, above all others, makes the claim win (docs/DESIGN.md, "Findings").
    func replaceVanishedMaster(_ observation: Observation, matcher: PodMatcher) -> Decision? {
        let local = observation.local
        guard let masterID = local.myself.masterID, let master = local.node(withID: masterID),
            observation.allViews.contains(where: { $0.node(withID: masterID)?.flags.noAddress ?? false }),
            let masterPod = matcher.pod(of: master), let now = observation.view(of: masterPod), now.myself.id != masterID
        else { return nil }
        let candidates = local.nodes.filter { $0.masterID == masterID && ($0.flags.myself || $0.isUsable) }
            .compactMap { node in node.flags.myself ? observation.me : matcher.pod(of: node) }
            .sorted { $0.ordinal < $1.ordinal }
        guard let taker = candidates.first, taker.shard == observation.me.shard else { return nil }
        if taker != observation.me {
            return .wait("waiting for \(taker.name) to take over shard \(taker.shard) from its vanished master")
        }
        let target = Action.Target(pod: observation.me, endpoint: local.endpoint)
        let takeOver = Action.takeOver(on: target, shard: taker.shard)
        guard !master.ownsSlots else { return .act([takeOver]) }
        let unowned = topology.slots(ofShard: taker.shard).subtracting(local.nodes.flatMap(\.slots))
        return .act(unowned.isEmpty ? [takeOver] : [takeOver, .addSlots(on: target, ranges: unowned)])
    }

    func asMasterWithoutSlots(_ observation: Observation, matcher: PodMatcher) -> Decision {
        let me = observation.me
        guard let owner = owner(ofShard: me.shard, in: observation, matcher: matcher) else {
            let clusterExists = observation.allViews.contains { view in view.nodes.contains(where: \.ownsSlots) }
            if me.isDesignatedMaster && !clusterExists {
                return .wait("waiting for \(topology.creator.name) to create the cluster")
            }
            if clusterExists {
                if let lost = orphanedShard(me.shard, observation, matcher: matcher) {
                    return takeOrRefuse(lost, observation)
                }
                if claimants(ofShard: me.shard, observation).isEmpty {
                    return .wait("waiting for shard \(me.shard) to be given slots (by the creator's agent)")
                }
                return failoverWait(
                    "waiting for shard \(me.shard)'s failover: no live master serves slots \(topology.slots(ofShard: me.shard))",
                    observation)
            }
            let master = topology.designatedMaster(of: me.shard)
            return .wait("waiting for \(describe(master, in: observation))")
        }
        if owner.pod == me && owner.id != observation.local.myself.id {
            return failoverWait(
                "waiting for shard \(me.shard)'s failover: its slots are still served by this pod's previous node "
                    + "\(owner.id.prefix(8)), lost with its data", observation)
        }
        if !observation.local.myself.importing.isEmpty {
            // Keys of a move into this node that was interrupted: the creator's agent finishes the move.
            return .wait(
                "waiting for the creator's agent to finish moving slots \(observation.local.myself.importing.keys.sorted().prefix(5)) into this node"
            )
        }
        if observation.local.keyCount > 0 {
            return .refuse(
                "this node is a master without slots but holds \(observation.local.keyCount) keys; replicating "
                    + "\(owner.name) would drop them. Move the keys away (or FLUSHALL if they are disposable), then run rejoin.")
        }
        return follow(owner, observation, matcher: matcher)
    }

    /// A wait for Redis's failover, bounded by the agent when the local node has nothing to lose (no
    /// keys): giving up restarts an empty node, never one that holds data.
    func failoverWait(_ text: String, _ observation: Observation) -> Decision {
        observation.local.keyCount == 0 ? .awaitFailover(text) : .wait(text)
    }

    /// REPLICATE the owner; MEET it first if the local node does not know it yet. The REPLICATE of
    /// such a pair waits for the handshake the MEET began (`Action.replicate`), in the same pass: at
    /// 50x1 a replica otherwise took its REPLICATE a median 2 s after its MEET, one slow pass later,
    /// though Redis had finished the handshake within 0.1 s.
    func follow(_ owner: ShardOwner, _ observation: Observation, matcher: PodMatcher) -> Decision {
        let local = observation.local
        let target = Action.Target(pod: observation.me, endpoint: local.endpoint)
        let replicate = Action.replicate(on: target, masterID: owner.id, master: owner.name)
        if let known = local.node(withID: owner.id), known.isUsable {
            return .act([replicate])
        }
        if local.isHandshaking(withIP: owner.ip, port: owner.port) {
            return .wait("waiting for the handshake with \(owner.name) to finish")
        }
        if let problem = MeetSafety.problem(local: local, remote: owner.seenIn, matcher: matcher) {
            return .refuse("not introducing \(owner.name) to this node: \(problem). Nothing was changed.")
        }
        return .act([.meet(on: target, ip: owner.ip, port: owner.port, busPort: owner.busPort, peer: owner.name), replicate])
    }

    /// Converged when the node reports the cluster healthy, has met every member it has seen listed and
    /// lists none of them without what a MEET from it would say; otherwise MEET them or ask for a MEET,
    /// or say what it lacks.
    func health(_ observation: Observation, matcher: PodMatcher) -> Decision {
        let meets = introductions(observation, matcher: matcher) + outdatedEntries(observation, matcher: matcher)
        if !meets.isEmpty { return .act(meets) }
        let info = observation.local.info
        if info.isOK { return .converged }
        return .wait(
            "waiting for cluster_state:ok (this node knows \(info.knownNodes) of \(topology.pods.count) nodes, "
                + "\(info.slotsAssigned) of 16384 slots assigned)")
    }

    /// A progress phrase for a pod: why it cannot be used yet.
    func describe(_ pod: PodIdentity, in observation: Observation) -> String {
        switch observation.peers[pod.name] {
        case .unresolved(let reason)?: return "\(pod.name): not resolvable yet (\(reason))"
        case .unreachable(let endpoint, let reason)?: return "\(pod.name) at \(endpoint): not answering (\(reason))"
        case .observed?: return "\(pod.name) to serve slots \(topology.slots(ofShard: pod.shard))"
        case nil: return "\(pod.name)"
        }
    }
}
