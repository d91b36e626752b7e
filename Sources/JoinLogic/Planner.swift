import NodeFinder

/// The pure decision engine: from the declaration and one observation to one decision.
/// It performs no I/O; the agent observes, asks, acts, and observes again.
///
/// The rules, in the order they are tried (each a function below):
///
/// | the local node | the cluster | decision |
/// |---|---|---|
/// | knows only nodes of another cluster | - | refuse, change nothing |
/// | is the creator (shard 0, ordinal 0) | every designated master up and fresh | set epochs 1...M, assign each shard's range, MEET the masters (only the missing steps) |
/// | is the creator | a designated master not up yet | wait for it |
/// | replica of its shard's current master | - | converged when `cluster_state:ok` |
/// | replica of another node | its shard has a current master | REPLICATE that master (MEET it first if unknown) |
/// | master serving slots | - | converged when `cluster_state:ok` |
/// | master without slots, holding keys | - | refuse: replicating would drop the keys |
/// | master without slots | its shard has a current master | MEET it if unknown, then REPLICATE it |
/// | master without slots | no master serves its shard yet | wait (for the creator, or for the shard's master) |
public struct Planner: Sendable {
    /// The declaration every decision is relative to.
    public let topology: Topology

    /// A planner for a declaration.
    public init(topology: Topology) {
        self.topology = topology
    }

    /// What the agent for `me` should look at before the next decision.
    public struct Scope: Equatable, Sendable {
        /// Pods whose names to resolve (to match nodes to pods by address).
        public let resolve: [PodIdentity]
        /// Pods to connect to and read.
        public let observe: [PodIdentity]
    }

    /// The peers worth a look. A node that already belongs to a healthy cluster needs only its own
    /// view; the creator reads every designated master until creation is done; any other node
    /// that is alone reads its own shard and the creator, where the cluster shows first.
    public func scope(for me: PodIdentity, local: NodeView?) -> Scope {
        let shardAndCreator = topology.pods(inShard: me.shard) + (me.shard == 0 ? [] : [topology.creator])
        if let local, local.info.isOK, !local.isAlone {
            return Scope(resolve: topology.pods, observe: [])
        }
        if me == topology.creator {
            return Scope(resolve: topology.pods, observe: topology.designatedMasters.filter { $0 != me })
        }
        let resolve = shardAndCreator + topology.designatedMasters.filter { !shardAndCreator.contains($0) }
        if let local, !local.isAlone {
            return Scope(resolve: resolve, observe: [])
        }
        return Scope(resolve: resolve, observe: shardAndCreator.filter { $0 != me })
    }

    /// The decision for one observation.
    public func plan(_ observation: Observation) -> Decision {
        let matcher = PodMatcher(topology: topology, addresses: observation.addresses)
        if let problem = foreignCluster(observation, matcher: matcher) { return .refuse(problem) }
        if observation.me == topology.creator, let decision = bootstrap(observation, matcher: matcher) {
            return decision
        }
        let myself = observation.local.myself
        if myself.flags.replica { return asReplica(observation, matcher: matcher) }
        if myself.ownsSlots { return health(observation) }
        return asMasterWithoutSlots(observation, matcher: matcher)
    }

    // MARK: - Rules

    /// A node whose nodes.conf names only another cluster's nodes is left alone.
    func foreignCluster(_ observation: Observation, matcher: PodMatcher) -> String? {
        var foreign: [String] = []
        for node in observation.local.others {
            switch matcher.identify(node) {
            case .ours: return nil
            case .foreign(let hostname): foreign.append(hostname)
            case .unknown: continue
            }
        }
        guard !foreign.isEmpty else { return nil }
        return "this node's nodes.conf belongs to another cluster: it knows \(foreign.prefix(3).joined(separator: ", ")), "
            + "none of them a pod of this declaration. Nothing was changed. If the volume was reused by mistake, "
            + "move nodes.conf (and the data) aside and restart the pod."
    }

    func asReplica(_ observation: Observation, matcher: PodMatcher) -> Decision {
        let shard = observation.me.shard
        guard let owner = owner(ofShard: shard, in: observation, matcher: matcher) else {
            return .wait("waiting for shard \(shard) to have a live master serving slots \(topology.slots(ofShard: shard))")
        }
        if observation.local.myself.masterID == owner.id { return health(observation) }
        return follow(owner, observation, matcher: matcher)
    }

    func asMasterWithoutSlots(_ observation: Observation, matcher: PodMatcher) -> Decision {
        let me = observation.me
        guard let owner = owner(ofShard: me.shard, in: observation, matcher: matcher) else {
            if me.isDesignatedMaster {
                return .wait("waiting for \(topology.creator.name) to create the cluster")
            }
            let master = topology.designatedMaster(of: me.shard)
            return .wait("waiting for \(describe(master, in: observation))")
        }
        if observation.local.keyCount > 0 {
            return .refuse(
                "this node is a master without slots but holds \(observation.local.keyCount) keys; replicating "
                    + "\(owner.name) would drop them. Move the keys away (or FLUSHALL if they are disposable), then run rejoin.")
        }
        return follow(owner, observation, matcher: matcher)
    }

    /// MEET the owner if the local node does not know it yet, else REPLICATE it.
    func follow(_ owner: ShardOwner, _ observation: Observation, matcher: PodMatcher) -> Decision {
        let local = observation.local
        let target = Action.Target(pod: observation.me, endpoint: local.endpoint)
        if let known = local.node(withID: owner.id), known.isUsable {
            return .act([.replicate(on: target, masterID: owner.id, master: owner.name)])
        }
        if local.nodes.contains(where: { $0.flags.handshake && $0.ip == owner.ip && $0.port == owner.port }) {
            return .wait("waiting for the handshake with \(owner.name) to finish")
        }
        if let problem = MeetSafety.problem(local: local, remote: owner.seenIn, matcher: matcher) {
            return .refuse("not introducing \(owner.name) to this node: \(problem). Nothing was changed.")
        }
        return .act([.meet(on: target, ip: owner.ip, port: owner.port, busPort: owner.busPort, peer: owner.name)])
    }

    /// Converged when the node reports the cluster healthy; otherwise say what it lacks.
    func health(_ observation: Observation) -> Decision {
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
