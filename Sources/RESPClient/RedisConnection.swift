import Platform
import TLS

/// One blocking connection to a Redis server. Every request is bounded by the connection's timeout:
/// a peer that is slow, silent or sends junk costs at most that long and raises a named error.
public final class RedisConnection {
    /// Where the server is.
    public let endpoint: Endpoint
    /// Seconds each request (write and full reply) may take.
    public let timeout: Double

    private let socket: Socket
    private let tls: TLSStream?
    private let decoder: RESPDecoder
    private var buffer: [UInt8] = []

    /// Connects (within `timeout`) and authenticates when `credentials` are given. With `tls`, the
    /// connection is TLS and the server's certificate must be valid for `tls.serverName`.
    public init(
        endpoint: Endpoint, timeout: Double, credentials: RedisCredentials?, tls: TLSPeer? = nil, limits: RESPLimits = .agent
    ) throws(RedisClientError) {
        self.endpoint = endpoint
        self.timeout = timeout
        self.decoder = RESPDecoder(limits: limits)
        let deadline = Deadline.after(seconds: timeout)
        let connected: Socket
        do {
            connected = try Socket.connectTCP(to: endpoint, deadline: deadline)
        } catch {
            throw .transport(error)
        }
        socket = connected
        do {
            self.tls = try tls.map { peer throws(TLSError) in
                try TLSStream(over: connected, files: peer.files, serverName: peer.serverName, deadline: deadline)
            }
        } catch {
            throw .tls(error)
        }
        if let credentials {
            let reply = try send(credentials.authCommand)
            if case .error(let message) = reply {
                throw .authenticationFailed(peer: endpoint, message: String(message.prefix(200)))
            }
        }
    }

    /// Sends a command and returns the reply, which may be an `.error` value.
    public func send(_ arguments: [String]) throws(RedisClientError) -> RESPValue {
        try sendAll([arguments])[0]
    }

    /// Sends commands in one write and returns their replies in order, each possibly an `.error` value:
    /// one round trip instead of one per command. A server busy forming a cluster of a hundred nodes
    /// on two cores took about 40 ms per round trip, so an agent sending 80 MEETs one by one spent 3 s.
    /// The whole batch is bounded by the timeout.
    public func sendAll(_ commands: [[String]]) throws(RedisClientError) -> [RESPValue] {
        try sendAll(encoded: commands.flatMap(RESPEncoder.command), count: commands.count)
    }

    /// `sendAll` for commands whose arguments are bytes (binary keys).
    public func sendAll(bytes commands: [[[UInt8]]]) throws(RedisClientError) -> [RESPValue] {
        try sendAll(encoded: commands.flatMap { RESPEncoder.command(bytes: $0) }, count: commands.count)
    }

    private func sendAll(encoded: [UInt8], count: Int) throws(RedisClientError) -> [RESPValue] {
        let deadline = Deadline.after(seconds: timeout)
        do {
            if let tls {
                do { try tls.write(encoded, deadline: deadline) } catch { throw RedisClientError.tls(error) }
            } else {
                try socket.write(encoded, deadline: deadline)
            }
            var replies: [RESPValue] = []
            replies.reserveCapacity(count)
            while replies.count < count {
                replies.append(try readReply(deadline: deadline))
            }
            return replies
        } catch let error as SocketError {
            throw .transport(error)
        } catch let error as RedisClientError {
            throw error
        } catch {
            fatalError("unreachable: \(error)")
        }
    }

    private func readReply(deadline: Deadline) throws -> RESPValue {
        while true {
            do {
                if let (value, end) = try decoder.decode(buffer) {
                    // A reply read whole leaves nothing behind: let its storage go rather than keep a
                    // reply-sized buffer for every peer (the creator of a 50x1 cluster keeps 50).
                    if end == buffer.count { buffer = [] } else { buffer.removeFirst(end) }
                    return value
                }
            } catch {
                throw RedisClientError.protocolViolation(error, peer: endpoint, received: ByteSample.describe(buffer))
            }
            buffer.append(contentsOf: try readChunk(deadline: deadline))
        }
    }

    /// What the peer sent next; a deadline passed is an incomplete reply.
    private func readChunk(deadline: Deadline) throws -> [UInt8] {
        let incomplete = RedisClientError.incompleteReply(
            peer: endpoint, seconds: timeout, byteCount: buffer.count, received: ByteSample.describe(buffer))
        guard let tls else {
            do {
                return try socket.read(limit: 65536, deadline: deadline)
            } catch {
                guard case .timedOut = error else { throw error }
                throw incomplete
            }
        }
        do {
            return try tls.read(limit: 65536, deadline: deadline)
        } catch {
            guard case .timedOut = error else { throw RedisClientError.tls(error) }
            throw incomplete
        }
    }

    /// Sends a command and throws `.server` when the reply is an error; NOAUTH becomes an
    /// authentication failure so the caller can tell a missing password from a refused command.
    @discardableResult
    public func command(_ arguments: String...) throws(RedisClientError) -> RESPValue {
        try command(arguments)
    }

    /// The array form of `command(_:)`.
    @discardableResult
    public func command(_ arguments: [String]) throws(RedisClientError) -> RESPValue {
        try checked(send(arguments), of: arguments)
    }

    /// Commands sent in one round trip (`sendAll`), their replies in order; throws, as `command(_:)`
    /// does, for the first reply that is an error.
    @discardableResult
    public func commands(_ list: [[String]]) throws(RedisClientError) -> [RESPValue] {
        let replies = try sendAll(list)
        for (arguments, reply) in zip(list, replies) { _ = try checked(reply, of: arguments) }
        return replies
    }

    /// The reply, or the error it carries, thrown; NOAUTH and WRONGPASS as an authentication failure.
    private func checked(_ reply: RESPValue, of arguments: [String]) throws(RedisClientError) -> RESPValue {
        if case .error(let message) = reply {
            let short = String(message.prefix(300))
            if short.hasPrefix("NOAUTH") || short.hasPrefix("WRONGPASS") {
                throw .authenticationFailed(peer: endpoint, message: short)
            }
            throw .server(command: arguments.prefix(2).joined(separator: " "), message: short, peer: endpoint)
        }
        return reply
    }

    /// A command whose reply is text (`CLUSTER NODES`, `INFO`), decoded as UTF-8.
    public func text(_ arguments: String...) throws(RedisClientError) -> String {
        let reply = try command(arguments)
        guard let text = reply.text else {
            throw .server(command: arguments.prefix(2).joined(separator: " "), message: "expected text, got \(reply)", peer: endpoint)
        }
        return text
    }
}
