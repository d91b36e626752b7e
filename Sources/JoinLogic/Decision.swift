/// What the planner concluded from one observation.
public enum Decision: Equatable, Sendable {
    /// Perform these steps, in order, stopping at the first failure; then observe again.
    case act([Action])
    /// Nothing to do yet; the text is the progress line ("waiting for rc-shard2-0: ...").
    case wait(String)
    /// Nothing to do until Redis fails the shard over to a replica; the agent bounds this wait
    /// (`--failover-timeout`), because a failover that does not come leaves the shard without a master.
    case awaitFailover(String)
    /// The local node serves its place in a healthy cluster.
    case converged
    /// Acting would risk data or merge clusters; the text names the problem and the fix.
    case refuse(String)
}
