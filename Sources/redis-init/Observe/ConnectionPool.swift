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

    init(timeout: Double, credentials: RedisCredentials?) {
        self.timeout = timeout
        self.credentials = credentials
    }

    /// Runs `body` on a connection to `endpoint`, dropping the connection if anything fails.
    func with<T>(_ endpoint: Endpoint, _ body: (RedisConnection) throws -> T) throws -> T {
        usedThisPass.insert(endpoint)
        let connection: RedisConnection
        if let existing = open[endpoint] {
            connection = existing
        } else {
            connection = try RedisConnection(endpoint: endpoint, timeout: timeout, credentials: credentials)
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
