import Declaration

/// The node serving a shard's slots right now, and where it was seen.
public struct ShardOwner: Equatable, Sendable {
    /// Its node ID.
    public let id: String
    /// Its address and ports, as the view that reported it knows them.
    public let ip: String
    public let port: Int
    public let busPort: Int
    /// Its config epoch: the higher claim wins in Redis, so it wins here too.
    public let configEpoch: Int
    /// A name for logs: the pod when known, else the node ID.
    public let name: String
    /// The pod it is, when it can be told.
    public let pod: PodIdentity?
    /// The view it was found in.
    public let seenIn: NodeView
}

extension Planner {
    /// Who serves `shard` now. The local node's own view is trusted first, because it is the view
    /// its actions will be judged by; peers' views are used only when it knows no owner at all.
    /// A claim by a node the cluster agreed has failed, or seen in a view of another cluster, does not count.
    func owner(ofShard shard: Int, in observation: Observation, matcher: PodMatcher) -> ShardOwner? {
        func best(in views: [NodeView]) -> ShardOwner? {
            var found: ShardOwner? = nil
            for view in views where !matcher.listsForeignNode(view) {
                for node in view.nodes
                where node.flags.master && node.ownsSlots && serves(shard, node, matcher: matcher) && !node.flags.failing
                    && !node.flags.handshake
                {
                    let (ip, port, busPort) = node.flags.myself ? view.reachableAddress : (node.ip, node.port, node.busPort)
                    guard !ip.isEmpty else { continue }
                    let pod = matcher.pod(of: node)
                    if let current = found, !outranks(node, pod, current) { continue }
                    found = ShardOwner(
                        id: node.id, ip: ip, port: port, busPort: busPort, configEpoch: node.configEpoch,
                        name: pod?.name ?? "node \(node.id.prefix(8))", pod: pod, seenIn: view)
                }
            }
            return found
        }
        return best(in: [observation.local]) ?? best(in: Array(observation.allViews.dropFirst()))
    }

    /// Whether `node` (of `pod`) is a better owner than `current`. Two claims on the same slots: the higher
    /// config epoch, as in Redis. Two masters serving different slots for one shard (a pod the ordinal
    /// layout re-mapped, whose old slots are still moving away): the shard's designated master.
    func outranks(_ node: ClusterNode, _ pod: PodIdentity?, _ current: ShardOwner) -> Bool {
        let currentSlots = current.seenIn.node(withID: current.id)?.slots ?? []
        let overlapping = node.slots.contains { range in currentSlots.contains { $0.overlaps(range) } }
        let designated = pod?.isDesignatedMaster ?? false
        if !overlapping, designated != (current.pod?.isDesignatedMaster ?? false) { return designated }
        return node.configEpoch > current.configEpoch
    }

    /// Whether `node`, a master serving slots, serves `shard`: a shard is the pods that serve it, since
    /// slots move between shards (docs/DESIGN.md, "Changing the declaration"). A node whose pod cannot be
    /// told for sure (no hostname, ID not recorded) counts by the first slot of the shard's declared range.
    func serves(_ shard: Int, _ node: ClusterNode, matcher: PodMatcher) -> Bool {
        if let pod = matcher.durablePod(of: node) { return pod.shard == shard }
        if case .undeclared = matcher.identify(node) { return false }
        return node.owns(topology.slots(ofShard: shard).lower)
    }
}
