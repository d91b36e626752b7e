import Declaration

/// The rule that keeps two clusters from merging: a nodes.conf that names nodes, none of them ours and
/// at least one another cluster's (by its hostname), belongs to another cluster and is left untouched.
/// The planner applies it to the running node's view, `init` to the file before the server starts.
public enum ForeignCluster {
    /// The refusal for a node whose other entries are `identities`, or nil when the rule does not apply.
    /// `source` names what is refused ("this node's nodes.conf", a path); `fix` ends the message.
    public static func refusal(_ identities: [PodMatcher.Identity], source: String, fix: String) -> String? {
        var foreign: [String] = []
        for identity in identities {
            switch identity {
            case .ours, .undeclared: return nil
            case .foreign(let hostname): foreign.append(hostname)
            case .unknown: continue
            }
        }
        guard !foreign.isEmpty else { return nil }
        return "\(source) belongs to another cluster: it names \(foreign.prefix(3).joined(separator: ", ")), "
            + "none of them a pod of this declaration. Nothing was changed. If the volume was reused by mistake, \(fix)"
    }

    /// Who each hostname in a nodes.conf is, by the declaration alone.
    public static func identities(ofHostnames hostnames: [String], in topology: Topology) -> [PodMatcher.Identity] {
        hostnames.map { hostname in
            if let pod = topology.pod(withHost: hostname) { return .ours(pod) }
            if let podName = topology.undeclaredPodName(withHost: hostname) { return .undeclared(podName: podName) }
            return .foreign(hostname: hostname)
        }
    }
}
