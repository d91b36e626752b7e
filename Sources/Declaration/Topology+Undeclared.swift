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

    /// An undeclared pod as a pod of its own StatefulSet: the shard and ordinal its name carries (the
    /// ordinal layout's by the declared shard count), its DNS name under the Service. What a pod beyond
    /// the declaration needs to hand its slots to a replica of its own shard before it stops.
    public func undeclaredPod(named podName: String) -> PodIdentity? {
        guard isUndeclaredPodName(podName), let numbers = numbers(inPodName: podName) else { return nil }
        let (shard, ordinal) = layout == .shards ? (numbers[0], numbers[1]) : (numbers[0] % shards, numbers[0] / shards)
        return PodIdentity(
            name: podName, shard: shard, ordinal: ordinal, host: "\(podName).\(service).\(namespace).svc.\(clusterDomain)", port: port,
            isFullyQualified: true)
    }
}
