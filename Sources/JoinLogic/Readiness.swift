import Declaration

/// The readiness probe's judgement, from the local node alone (a probe runs every few seconds and
/// must not depend on DNS or on other pods answering): the node serves its shard in a healthy
/// cluster. A master serves slots; a replica follows a master of its shard that serves slots, and has
/// loaded its data. After a failover the roles of a shard's pods swap, and both are still ready.
public enum Readiness {
    /// nil when ready; otherwise why not, for the probe's output.
    public static func problem(of view: NodeView, as pod: PodIdentity, in topology: Topology) -> String? {
        guard view.info.isOK else {
            return "cluster_state is not ok (this node knows \(view.info.knownNodes) nodes, \(view.info.slotsAssigned) slots assigned)"
        }
        // A shard is the pods that serve it: after a scale change its slots are not a fresh split's range.
        let matcher = PodMatcher(topology: topology, addresses: [:])
        let myself = view.myself
        if myself.flags.master {
            return myself.ownsSlots ? nil : "this master serves no slots yet (joining shard \(pod.shard))"
        }
        guard let masterID = myself.masterID, let master = view.node(withID: masterID) else {
            return "this replica has no master yet"
        }
        // In the ordinal layout a new shard count re-maps pods: a replica keeps following its old shard's
        // master until the creator's agent moves it, and a rollout must not stop at it meanwhile.
        let masterShard = topology.layout == .ordinal ? nil : matcher.durablePod(of: master)?.shard
        guard master.ownsSlots, !master.flags.failing, masterShard == nil || masterShard == pod.shard else {
            return "this replica follows \(masterID.prefix(8)), which does not serve shard \(pod.shard)'s slots"
        }
        guard let replication = view.replication, replication.linkUp else {
            return "this replica has not loaded its master's data yet (master_link_status is not up)"
        }
        return nil
    }
}
