/// Whether the local node may announce its hostname. Once it does, Redis 7 appends an extension to every
/// cluster-bus ping it sends, and Redis 6.2 drops every ping with one: in a cluster that still has a 6.2
/// node (a rolling upgrade), one announcing node is marked failing by every 6.2 node and sees them all
/// as `fail?` (docs/DESIGN.md, "Mixed versions").
///
/// | the local server | the nodes it knows without a hostname, connected | decision |
/// |---|---|---|
/// | before 7.0 | - | try anyway: the server says it does not take the option |
/// | 7.0 on | none, or each answers with 7.0 on | announce |
/// | 7.0 on | one answers with a server before 7.0 | hold, and look again later |
///
/// A node that announces a hostname runs 7.0 on, so only nameless entries are asked; one that does not
/// answer is no evidence either way (a pod restarting in a rollout comes back upgraded).
public enum HostnameAnnouncement {
    public enum Decision: Equatable, Sendable {
        case announce
        /// Not yet: the text names the nodes that could not read it.
        case hold(String)
    }

    /// The entries whose server version decides: known by their address, connected, without a hostname.
    public static func nodesToAsk(_ nodes: [ClusterNode]) -> [ClusterNode] {
        nodes.filter { !$0.flags.myself && $0.isUsable && $0.linkConnected && $0.hostname == nil }
    }

    /// The decision for a local server of `local` version, given what the nodes asked answered.
    public static func decide(local: ServerVersion, answers: [(node: String, version: ServerVersion)]) -> Decision {
        guard local.readsPingExtensions else { return .announce }
        let old = answers.filter { !$0.version.readsPingExtensions }
        guard !old.isEmpty else { return .announce }
        let names = old.map { "\($0.node) (\($0.version))" }.joined(separator: ", ")
        return .hold("not announcing this node's hostname yet: servers that drop cluster pings carrying one still run at \(names)")
    }
}
