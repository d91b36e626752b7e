/// Pods of the same StatefulSets that the declaration does not name: beyond the declared shards or
/// replicas, as a shrunk declaration leaves them. They are this cluster's, never another's.
extension Topology {
    /// Whether `podName` follows this layout's naming but is not declared. The static layout names its
    /// pods one by one, so it has none.
    public func isUndeclaredPodName(_ podName: String) -> Bool {
        pod(named: podName) == nil && numbers(inPodName: podName) != nil
    }

    /// The pod name in `hostname` (an announced hostname) when it is an undeclared pod under the
    /// declared Service.
    public func undeclaredPodName(withHost hostname: String) -> String? {
        guard layout != .static else { return nil }
        let host = Topology.canonical(hostname)
        let suffix = Topology.canonical(".\(service).\(namespace).svc.\(clusterDomain)")
        guard host.hasSuffix(suffix) else { return nil }
        let podName = String(host.dropLast(suffix.count))
        return isUndeclaredPodName(podName) ? podName : nil
    }
}
