import Platform
import RESPClient

/// One open connection per endpoint, reused across passes so a pass costs commands, not handshakes.
/// A connection that failed once is dropped and made anew on the next use; one not used in a whole
/// pass is closed (a peer asked once, a pod that moved), so they do not pile up on either side.
final class ConnectionPool {
    private var open: [Endpoint: RedisConnection] = [:]
    private var usedThisPass = Set<Endpoint>()
    private let access: ServerAccess
    private let clientName: String?
    /// The endpoints whose connections carry `clientName`: the creator's node (`Observer` keeps it current).
    var namedEndpoints = Set<Endpoint>()
    /// The DNS name of the pod at each endpoint, which a TLS server's certificate must carry: the local
    /// server's, and every pod's the agent resolved or acts on (`Observer`, `Executor` keep it current).
    private var hosts: [Endpoint: String] = [:]

    /// `clientName`: the name each new connection gives itself (`AgentRoster`: how agents see each
    /// other's declarations). `local`: the local server and its pod's DNS name.
    init(access: ServerAccess, local: (Endpoint, String)?, clientName: String? = nil) {
        self.access = access
        self.clientName = clientName
        if let (endpoint, host) = local { hosts[endpoint] = host }
    }

    /// Records that `endpoint` is the server of `host`.
    func name(_ endpoint: Endpoint, _ host: String) {
        hosts[endpoint] = host
    }

    /// Runs `body` on a connection to `endpoint`, dropping the connection if anything fails.
    func with<T>(_ endpoint: Endpoint, _ body: (RedisConnection) throws -> T) throws -> T {
        usedThisPass.insert(endpoint)
        let connection: RedisConnection
        if let existing = open[endpoint] {
            connection = existing
        } else {
            connection = try access.connect(endpoint, host: hosts[endpoint])
            // A user without CLIENT SETNAME still works; its agent is just not seen in `AgentRoster`.
            // Only where the creator reads it: a request more to every peer is a timeout more to a hostile one.
            if let clientName, namedEndpoints.contains(endpoint) { _ = try? connection.command("CLIENT", "SETNAME", clientName) }
            open[endpoint] = connection
        }
        do {
            return try body(connection)
        } catch {
            open[endpoint] = nil
            throw error
        }
    }

    /// Ends a pass: closes the connections it did not use.
    func closeUnused() {
        open = open.filter { usedThisPass.contains($0.key) }
        usedThisPass.removeAll(keepingCapacity: true)
    }
}
