/// A declaration that cannot describe a cluster; each message names the flag to fix.
public enum TopologyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Fewer than three shards.
    case tooFewShards(Int)
    /// A negative replica count.
    case negativeReplicas(Int)
    /// A missing value the layout needs, named by its flag.
    case missing(flag: String, layout: Layout)
    /// A name that is not a DNS label.
    case invalidLabel(flag: String, value: String)
    /// The static peer list does not hold shards * (1 + replicas) hosts.
    case peerCountMismatch(expected: Int, got: Int)
    /// A static peer that is not `host[:port]`.
    case invalidPeer(String)
    /// The same static peer twice.
    case duplicatePeer(String)

    public var description: String {
        switch self {
        case .tooFewShards(let count): return "--shards is \(count): a Redis Cluster needs at least 3 masters"
        case .negativeReplicas(let count): return "--replicas is \(count): give 0 or more replicas per shard"
        case .missing(let flag, let layout): return "\(flag) is required with --layout \(layout.rawValue)"
        case .invalidLabel(let flag, let value):
            return "\(flag) '\(value)' is not a DNS label (lowercase letters, digits and '-', at most 63)"
        case .peerCountMismatch(let expected, let got):
            return "--peers lists \(got) hosts; --shards * (1 + --replicas) is \(expected)"
        case .invalidPeer(let peer): return "--peers entry '\(peer)' is not host[:port]"
        case .duplicatePeer(let peer): return "--peers lists '\(peer)' twice"
        }
    }
}
