import Declaration

extension Planner {
    /// A shard whose slots nobody can serve again: every node claiming them is gone (failed, or `noaddr`
    /// because a new node answers at its address) and no live replica of any of them is left to be
    /// promoted. Returns a name for the lost owner, for the message.
    func orphanedShard(_ shard: Int, _ observation: Observation, matcher: PodMatcher) -> String? {
        let views = observation.allViews
        // Unassigned slots are not orphaned: during bootstrap the creator has simply not reached them yet.
        let claimants = claimants(ofShard: shard, observation)
        guard !claimants.isEmpty, claimants.allSatisfy({ $0.flags.failing || $0.flags.noAddress }) else { return nil }
        let claimantIDs = Set(claimants.map(\.id))
        let heirs = views.flatMap(\.nodes).filter { node in
            node.masterID.map(claimantIDs.contains) == true && !node.flags.failing && !node.flags.noAddress
        }
        guard heirs.isEmpty, let lost = claimants.first else { return nil }
        return "\(matcher.pod(of: lost)?.name ?? "node") (\(lost.id.prefix(8)))"
    }

    /// Every master any view shows serving `shard`'s slots, live or not.
    func claimants(ofShard shard: Int, _ observation: Observation) -> [ClusterNode] {
        let matcher = observation.matcher(topology)
        return observation.allViews.flatMap { view in
            view.nodes.filter { $0.flags.master && $0.ownsSlots && serves(shard, $0, matcher: matcher) }
        }
    }

    /// With --allow-slot-takeover, a virgin node serves the orphaned range itself: a config epoch above
    /// every epoch seen (Redis gives slots to the higher epoch's claim, so the gone owner's claim loses
    /// everywhere), the range, then a MEET into the cluster. Without the flag, refuse and say why.
    func takeOrRefuse(_ lost: String, _ observation: Observation) -> Decision {
        let shard = observation.me.shard
        // What the gone owners served: after a scale change, not the shard's range in a fresh split.
        var claimed: [Int] = []
        for node in claimants(ofShard: shard, observation) { claimed += SlotBalance.slotList(node.slots) }
        let ranges = SlotBalance.ranges(of: Array(Set(claimed)).sorted())
        let range = ranges.map(\.description).joined(separator: ",")
        guard allowSlotTakeover else {
            return .refuse(
                "shard \(shard)'s slots \(range) have no live owner: \(lost) is gone with its data and no replica of it "
                    + "is left to take over. Restore its data and restart this pod, or set --allow-slot-takeover "
                    + "(REDIS_INIT_ALLOW_SLOT_TAKEOVER=true) to serve the slots empty: their keys are lost.")
        }
        let local = observation.local
        guard local.isVirgin else {
            return .refuse("--allow-slot-takeover needs an empty node, and this one is not (it knows other nodes or holds keys)")
        }
        let views = observation.allViews.dropFirst()
        guard let entry = views.first(where: { !$0.isAlone }) else {
            return .wait("waiting to see a member of the cluster before taking over shard \(shard)'s slots")
        }
        let highest = views.flatMap { view in view.nodes.map(\.configEpoch) + [view.info.currentEpoch] }.max() ?? 0
        let target = Action.Target(pod: observation.me, endpoint: local.endpoint)
        let (ip, port, busPort) = entry.reachableAddress
        let name = observation.matcher(topology).pod(of: entry.myself)?.name ?? "node \(entry.myself.id.prefix(8))"
        return .act([
            .setConfigEpoch(on: target, epoch: highest + 1),
            .addSlots(on: target, ranges: ranges),
            .meet(on: target, ip: ip, port: port, busPort: busPort, peer: name),
        ])
    }
}
