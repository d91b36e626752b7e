extension Planner {
    /// Whether the local node's picture of the cluster is complete: one node for every pod and no
    /// handshake under way, every link up, none failing, every replica with a master and every master
    /// serving slots. `cluster_state:ok` comes before that: a replica is ok as soon as it sees every slot
    /// served, while members are still arriving by gossip and entries still filling in. An agent that
    /// converged on a picture not yet settled looks again soon, not an `--interval` later, so the last
    /// introductions and asks, which only it makes for its node, are not an interval late (at 10x1 with
    /// `--interval 1`, the slow bootstraps each waited a second for one of them).
    public func isSettled(_ local: NodeView) -> Bool {
        guard local.nodes.count == topology.pods.count else { return false }
        return local.others.allSatisfy { node in
            node.isUsable && node.linkConnected && !node.flags.suspectedFailing
                && (node.flags.replica ? node.masterID != nil : node.ownsSlots)
        }
    }
}
