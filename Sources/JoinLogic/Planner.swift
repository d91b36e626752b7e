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
/// | knows a pod at an address it has left | the pod answers at its new one | MEET it there (`repairs`) |
/// | reports for itself an address its name no longer gives | a peer lists it at the new one | that peer MEETs it there (`repairs`) |
/// | knows a failed old ID of a pod that is back | - | FORGET the old ID (`repairs`) |
/// | is the creator (shard 0, ordinal 0) | every designated master up and fresh | set epochs 1...M, assign each shard's range, MEET the masters (only the missing steps) |
/// | is the creator | a designated master not up yet | wait for it |
/// | replica of its shard's current master | - | converged when `cluster_state:ok` (MEET first any live member a peer lists that it does not know; ask a member it lists without its master, or without the slots a peer saw it serve, for a MEET) |
/// | replica of another node | its shard has a current master | REPLICATE that master (MEET it first if unknown) |
/// | replica of its shard's master, replicating from a stale address | - | REPLICATE it again (resets the address) |
/// | replica whose master is `noaddr` in any view seen and whose pod is back with a new ID | - | lowest live ordinal: CLUSTER FAILOVER TAKEOVER |
/// | master serving slots | - | converged when `cluster_state:ok` (the same MEETs first) |
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

    /// The pods whose names the agent for `me` resolves before the next decision (its own name aside,
    /// which it always resolves: `myAddress`). A lone node: its shard, the creator and the designated
    /// masters; the creator while its cluster is not formed: every pod (to tell our nodes from
    /// strangers). A node that knows the cluster needs every pod's address only when something may have
    /// moved that it cannot name: an entry failing or without an address, no hostnames at all (Redis
    /// 6.2), or the local node itself away from where its name points (after a restart of everything,
    /// everyone may have moved). A link down to a node it can name (hostname, or node ID recorded) needs
    /// that pod's name only: its address tells whether it moved. Otherwise its own scope. At 50x1, 100
    /// agents each asking for 100 names as they joined kept the DNS server busy for seconds (10,000
    /// queries, then again as the answers expired), and every pass waited for it; while a cluster forms,
    /// links are down by the hundred.
    ///
    /// A link down to an entry nothing names is no sign of a move when the local node has hostnames:
    /// Redis 7 keeps every hostname in nodes.conf, so such an entry is fresh from a handshake (Redis reads
    /// the hostname from the node's next PING), and its link drops while duplicate handshakes are cleared.
    /// Asking for every name then had almost every agent do so within 1.5 s, 3 s into a 50x1 bootstrap:
    /// passes of 1-3 s, nearly all of it waiting on DNS. If that node has gone for good, Redis
    /// marks it `fail?` within node-timeout, and every name is asked then.
    ///
    /// Entries restored from nodes.conf and not yet confirmed (`restored`, node IDs) are resolved like a
    /// link down: nothing in `CLUSTER NODES` shows that one of them moved (`RestoredEntries`).
    public func namesToResolve(
        for me: PodIdentity, local: NodeView?, myAddress: IPAddress? = nil, nodeIDs: NodeIDMap = NodeIDMap(),
        restored: Set<String> = []
    ) -> [PodIdentity] {
        let scope = acquaintanceScope(of: me, local: local)
        guard let local, !local.isAlone else {
            if me == topology.creator { return topology.pods }
            return scope + topology.designatedMasters.filter { !scope.contains($0) }
        }
        let myself = local.myself
        let withoutHostnames = myself.hostname == nil
        let movedItself = myAddress.map(myself.reportsAddress(otherThan:)) ?? false
        let forming = me == topology.creator && local.info.slotsAssigned < SlotRange.slotCount
        if withoutHostnames || movedItself || forming { return topology.pods }
        let matcher = PodMatcher(topology: topology, addresses: [:], nodeIDs: nodeIDs)
        var names = scope
        for node in local.others where !node.flags.handshake {
            if node.flags.failing || node.flags.suspectedFailing || node.flags.noAddress { return topology.pods }
            guard !node.linkConnected || restored.contains(node.id) else { continue }
            if let pod = matcher.durablePod(of: node), !names.contains(pod) { names.append(pod) }
        }
        return names
    }

    /// The pods the agent connects to and reads: its own shard and the creator (the creator: every
    /// designated master until its node sees every slot served), where the cluster shows first and where
    /// a half-known pair shows; the pods it knows at an address their name no longer resolves to; and the
    /// pods it knows only by address.
    public func podsToObserve(
        for me: PodIdentity, local: NodeView?, addresses: [String: IPAddress], nodeIDs: NodeIDMap = NodeIDMap()
    ) -> [PodIdentity] {
        var pods = acquaintanceScope(of: me, local: local)
        let matcher = PodMatcher(topology: topology, addresses: addresses, nodeIDs: nodeIDs)
        // A server that announces no hostname (Redis 6.2) shows its peers by address only.
        let withoutHostnames = local?.myself.hostname == nil
        for node in local?.others ?? [] where !node.flags.handshake {
            if let pod = matcher.durablePod(of: node) {
                if movedAddress(of: node, pod: pod, addresses: addresses) != nil { pods.append(pod) }
            } else if withoutHostnames, let pod = matcher.pod(of: node) {
                // Known only by address, ID not recorded yet: read it once so the node-ID map learns
                // which pod it is while its address still says so.
                pods.append(pod)
            }
        }
        var seen = Set<String>()
        return pods.filter { $0 != me && seen.insert($0.name).inserted }
    }

    /// Whom an agent reads every pass, and whose half-known pairs it mends: its own shard and the creator.
    /// The creator reads every designated master too until its own node sees all 16384 slots served:
    /// until then it may have a cluster to create or to finish creating; after, it reads like any agent
    /// (at 50 shards, 50 views of 100 nodes each pass cost it memory and CPU for nothing). Enough to see
    /// a replica and its master, or a master and the creator, that only half know each other, after which
    /// gossip from a known node spreads the rest; wider, it would MEET pairs that gossip is about to
    /// introduce anyway.
    func acquaintanceScope(of me: PodIdentity, local: NodeView?) -> [PodIdentity] {
        let scope = topology.pods(inShard: me.shard) + (me.shard == 0 ? [] : [topology.creator])
        guard me == topology.creator, (local?.info.slotsAssigned ?? 0) < SlotRange.slotCount else { return scope }
        return topology.designatedMasters + scope
    }

    /// The decision for one observation.
    public func plan(_ observation: Observation) -> Decision {
        let matcher = observation.matcher(topology)
        if let problem = foreignCluster(observation, matcher: matcher) { return .refuse(problem) }
        if observation.me == topology.creator, let decision = bootstrap(observation, matcher: matcher) {
            return decision
        }
        let repairs = repairs(observation, matcher: matcher)
        if !repairs.isEmpty { return .act(repairs) }
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

    /// The local replica's master is `noaddr` in a view seen (a new node answered at its address, so that
    /// node stops pinging it and never reports it failing: alone, or as one master of three, that leaves
    /// no majority to mark it failed, and no automatic failover comes; found by scripts/chaos, seed 9101:
    /// the replica itself saw only `fail?`) and its pod is back under another node ID: the old master is
    /// certainly gone. One replica, the lowest ordinal still live, takes the shard over without an
    /// election; the others wait for it. An election (FAILOVER FORCE) needs the votes of a majority of
    /// masters that know the old master: a master that had not yet learned its slots may have forgotten
    /// it as a ghost, and then no majority ever comes (found by scripts/chaos: a creator wiped a second
    /// after creating the cluster). A replica that never learned
    /// its master's slots (the master died before its first ping reached it) would take over nothing, so
    /// it also claims its shard's declared range, where its own node sees no other owner; the takeover's
    /// epoch, above all others, makes the claim win over the old master's everywhere.
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
                    return .wait("waiting for shard \(me.shard)'s slots \(topology.slots(ofShard: me.shard)) to be assigned")
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
