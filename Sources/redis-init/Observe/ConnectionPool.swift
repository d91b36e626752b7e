import Platform
import RESPClient

/// One open connection per endpoint, reused across passes so a pass costs commands, not handshakes.
/// A connection that failed once is dropped and made anew on the next use; one not used in a whole
/// pass is closed (a peer asked once, a pod that moved), so they do not pile up on either side.
final class ConnectionPool {
    private var open: [Endpoint: RedisConnection] = [:]
    private var usedThisPass = Set<Endpoint>()
    private let timeout: Double
    private let credentials: RedisCredentials?
    private let clientName: String?
    /// The endpoints whose connections carry `clientName`: the creator's node (`Observer` keeps it current).
    var namedEndpoints = Set<Endpoint>()

    /// `clientName`: the name each new connection gives itself (`AgentRoster`: how agents see each
    /// other's declarations).
    init(timeout: Double, credentials: RedisCredentials?, clientName: String? = nil) {
        self.timeout = timeout
        self.credentials = credentials
        self.clientName = clientName
    }

    /// Runs `body` on a connection to `endpoint`, dropping the connection if anything fails.
    func with<T>(_ endpoint: Endpoint, _ body: (RedisConnection) throws -> T) throws -> T {
        usedThisPass.insert(endpoint)
        let connection: RedisConnection
        if let existing = open[endpoint] {
            connection = existing
        } else {
            connection = try RedisConnection(endpoint: endpoint, timeout: timeout, credentials: credentials)
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
