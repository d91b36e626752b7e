import Platform

/// Why a TLS connection could not be made: the agent's own files, or the peer.
public enum TLSError: Error, Sendable, CustomStringConvertible {
    /// One of the agent's own files (`--tls-ca-cert-file`, `--tls-cert-file`, `--tls-key-file`) cannot be
    /// read or is not what it must be; `reason` says which.
    case badFile(flag: String, path: String, reason: String)
    /// The peer's certificate failed verification: `reason` lists every check it failed (another CA,
    /// expired, not for `serverName`).
    case untrusted(peer: Endpoint, serverName: String, reason: String)
    /// The handshake failed for another reason (plaintext on a TLS port, no common protocol version).
    case handshake(peer: Endpoint, reason: String)
    /// The handshake or a read or write did not finish in time.
    case timedOut(operation: String, peer: Endpoint)
    /// The connection broke after the handshake.
    case broken(peer: Endpoint, reason: String)
    /// No DNS name is known for the address, so its certificate could not be checked: never by address alone.
    case noName(peer: Endpoint)

    public var description: String {
        switch self {
        case .badFile(let flag, let path, let reason): return "\(flag) \(path): \(reason)"
        case .untrusted(let peer, let name, let reason): return "\(peer): its certificate is not trusted as \(name): \(reason)"
        case .handshake(let peer, let reason): return "\(peer): TLS handshake failed: \(reason)"
        case .timedOut(let operation, let peer): return "\(peer): timed out during TLS \(operation)"
        case .broken(let peer, let reason): return "\(peer): TLS connection broke: \(reason)"
        case .noName(let peer):
            return "\(peer): no DNS name is known for this address, and a certificate is never checked against an address alone"
        }
    }
}
