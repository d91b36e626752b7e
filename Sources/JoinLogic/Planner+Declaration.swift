import Declaration

extension Planner {
    /// Whether the cluster seen still has the declared shards, in the static layout, whose shard count
    /// cannot change: its list names its hosts one by one. There, a declaration whose shard count changed
    /// under a live cluster is not acted on: no REPLICATE, MEET, FORGET or slot assignment, whatever else
    /// the rules would say, until the declaration and the cluster agree again. The shards and ordinal
    /// layouts move slots instead (`rebalance`; docs/DESIGN.md, "Changing the declaration").
    ///
    /// | in a view seen | decision |
    /// |---|---|
    /// | a pod of the same StatefulSets beyond the declaration serves slots | wait: the declaration shrank |
    /// | two declared pods of one shard serve slots | wait: the pods' shards moved under them |
    /// | every slot is served, each by a node we can name, and a declared shard's pods serve none | wait: the declaration grew |
    /// | otherwise | the other rules decide |
    ///
    /// A view of another cluster says nothing of ours; an owner nobody can name yet (a nameless node at an
    /// address no pod resolves to) makes a view say nothing about which shards serve slots.
    func declarationChange(_ observation: Observation, matcher: PodMatcher) -> String? {
        guard topology.layout == .static else { return nil }
        for view in observation.allViews where !matcher.listsForeignNode(view) {
            let owners = view.nodes.filter { $0.ownsSlots && $0.flags.master }.map { ($0, matcher.identify($0)) }
            for (node, identity) in owners {
                if case .undeclared(let podName) = identity {
                    let slots = node.slots.map(\.description).joined(separator: " ")
                    return "\(podName), which the declaration (\(shape)) does not name, serves slots \(slots): "
                        + "the \(topology.layout) layout cannot move slots off a shard. Nothing was changed; declare the shards and "
                        + "replicas that name \(podName) again."
                }
            }
            var servedBy: [Int: ClusterNode] = [:]
            for (node, identity) in owners {
                guard case .ours(let pod) = identity else { continue }
                if let other = servedBy[pod.shard] {
                    return "two masters serve slots for what the declaration (\(shape)) calls shard \(pod.shard) "
                        + "(nodes \(other.id.prefix(8)) and \(node.id.prefix(8))): the \(topology.layout) layout cannot change its "
                        + "shard count. Nothing was changed; declare the shard count the cluster has."
                }
                servedBy[pod.shard] = node
            }
            let assigned = owners.reduce(0) { total, owner in total + owner.0.slots.reduce(0) { $0 + $1.count } }
            guard assigned == SlotRange.slotCount else { continue }
            let shards = owners.map { owner -> Int? in if case .ours(let pod) = owner.1 { pod.shard } else { nil } }
            guard !shards.contains(nil) else { continue }
            let served = Set(shards.compactMap { $0 })
            let idle = (0..<topology.shards).filter { !served.contains($0) }
            guard !idle.isEmpty else { continue }
            let serving = served.sorted().map(String.init).joined(separator: ", ")
            let named = idle.map(String.init).joined(separator: ", ")
            return "the declaration has \(topology.shards) shards but every slot is served by shards \(serving) "
                + "(shard\(idle.count == 1 ? "" : "s") \(named) serve\(idle.count == 1 ? "s" : "") none): the \(topology.layout) "
                + "layout cannot move slots to new shards. Nothing was changed; declare \(served.count) shards again."
        }
        return nil
    }

    /// The declaration in words, for messages.
    var shape: String {
        "\(topology.shards) shards of \(topology.replicas + 1) pods"
    }
}
