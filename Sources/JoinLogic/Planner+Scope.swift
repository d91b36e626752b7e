import Declaration
import Platform

/// What the agent looks at before it plans: the names it resolves and the peers it reads.
extension Planner {
    /// The pods whose names the agent for `me` resolves before the next decision (its own name aside,
    /// which it always resolves: `myAddress`). A lone node: its shard, the creator and the designated
    /// masters; the creator while its cluster is not formed: every pod (to tell our nodes from strangers).
    /// A node that knows the cluster: every pod only when something may have moved that it cannot name
    /// (an entry failing or without an address, no hostnames at all, its own node away from where its
    /// name points); a link down to a node it can name, or an entry restored from nodes.conf and not yet
    /// confirmed (`restored`), adds that pod's name; otherwise its own scope. A link down to an entry
    /// nothing names is fresh from a handshake and asks for nothing. Why so few: docs/DESIGN.md, "DNS".
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
        if needsRebalance(for: me, local: local, matcher: matcher) {
            names += rebalancePods(local, matcher: matcher).filter { !names.contains($0) }
        }
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
        if let local, needsRebalance(for: me, local: local, matcher: matcher) { pods += rebalancePods(local, matcher: matcher) }
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
}
