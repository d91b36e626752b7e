/// One declared pod: where it sits in the topology and how to reach it.
public struct PodIdentity: Hashable, Sendable, CustomStringConvertible {
    /// The pod's name (`rc-shard1-0`, `rc-4`), or the host as written for the static layout.
    public let name: String
    /// The shard, 0 ..< M.
    public let shard: Int
    /// The ordinal inside the shard; 0 is the shard's designated master.
    public let ordinal: Int
    /// The DNS name (or literal IP) that resolves to the pod's current address.
    public let host: String
    /// The Redis port.
    public let port: UInt16
    /// Whether `host` is a complete DNS name (a pod of a Service), so it is asked as it is, never with
    /// resolv.conf's search domains: Kubernetes' ndots:5 would otherwise send four names, each for A and
    /// AAAA, for every pod not published yet.
    public let isFullyQualified: Bool

    /// Describes a pod.
    public init(name: String, shard: Int, ordinal: Int, host: String, port: UInt16, isFullyQualified: Bool = false) {
        self.name = name
        self.shard = shard
        self.ordinal = ordinal
        self.host = host
        self.port = port
        self.isFullyQualified = isFullyQualified
    }

    /// The name to give the resolver: absolute (a trailing dot) when `host` is fully qualified.
    public var lookupName: String { isFullyQualified && !host.hasSuffix(".") ? host + "." : host }

    /// Ordinal 0 of a shard is its designated master.
    public var isDesignatedMaster: Bool { ordinal == 0 }

    public var description: String { name }
}
