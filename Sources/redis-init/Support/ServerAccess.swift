import Platform
import RESPClient
import TLS

/// How every command reaches a server: the deadline, the password, and with `--tls` the TLS files and
/// the DNS name the server's certificate must carry.
struct ServerAccess: Sendable {
    let timeout: Double
    let credentials: RedisCredentials?
    let tls: TLSFiles?

    /// A connection to `endpoint`, the server of `host` (a pod's DNS name); `host` may be nil only without TLS.
    func connect(_ endpoint: Endpoint, host: String?, timeout: Double? = nil) throws(RedisClientError) -> RedisConnection {
        var peer: TLSPeer? = nil
        if let tls {
            guard let host else { throw .tls(.noName(peer: endpoint)) }
            peer = TLSPeer(files: tls, serverName: host)
        }
        return try RedisConnection(endpoint: endpoint, timeout: timeout ?? self.timeout, credentials: credentials, tls: peer)
    }
}
