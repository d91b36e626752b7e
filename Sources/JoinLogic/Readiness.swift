import Declaration

/// The readiness probe's judgement, from the local node alone (a probe runs every few seconds and
/// must not depend on DNS or on other pods answering): the node serves its shard in a healthy
/// cluster. A master serves its shard's slots; a replica follows the node that serves them, and has
/// loaded its data. After a failover the roles of a shard's pods swap, and both are still ready.
public enum Readiness {
    /// nil when ready; otherwise why not, for the probe's output.
    public static func problem(of view: NodeView, as pod: PodIdentity, in topology: Topology) -> String? {
        guard view.info.isOK else {
            return "cluster_state is not ok (this node knows \(view.info.knownNodes) nodes, \(view.info.slotsAssigned) slots assigned)"
        }
        let firstSlot = topology.slots(ofShard: pod.shard).lower
        let myself = view.myself
        if myself.flags.master {
            if myself.owns(firstSlot) { return nil }
            return myself.ownsSlots
                ? "this master serves slots of another shard, not shard \(pod.shard)'s \(topology.slots(ofShard: pod.shard))"
                : "this master serves no slots yet (joining shard \(pod.shard))"
        }
        guard let masterID = myself.masterID, let master = view.node(withID: masterID) else {
            return "this replica has no master yet"
        }
        guard master.owns(firstSlot), !master.flags.failing else {
            return "this replica follows \(masterID.prefix(8)), which does not serve shard \(pod.shard)'s slots"
        }
        guard let replication = view.replication, replication.linkUp else {
            return "this replica has not loaded its master's data yet (master_link_status is not up)"
        }
        return nil
    }
}
