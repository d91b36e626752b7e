import Platform
import TLS

/// Why a request to a Redis server failed. Separates the peer's transport, its protocol, its
/// authentication and a server `-ERR` reply, because the agent reacts to each differently.
public enum RedisClientError: Error, Sendable, CustomStringConvertible {
    /// Could not connect, the connection broke, or a deadline passed.
    case transport(SocketError)
    /// TLS failed: the agent's own files, the peer's certificate, or the handshake.
    case tls(TLSError)
    /// The peer sent bytes that are not RESP; `received` is the start of what it sent (`ByteSample`).
    case protocolViolation(RESPParsingError, peer: Endpoint, received: String)
    /// The peer accepted the request but no whole reply came before the deadline: it is silent, or
    /// drips, or sends more than a reply's worth slowly. `received` is the start of what did come.
    case incompleteReply(peer: Endpoint, seconds: Double, byteCount: Int, received: String)
    /// The server rejected the credentials (WRONGPASS, NOAUTH, or AUTH without a password set).
    case authenticationFailed(peer: Endpoint, message: String)
    /// The server answered the command with an error reply.
    case server(command: String, message: String, peer: Endpoint)

    public var description: String {
        switch self {
        case .transport(let error): return error.description
        case .tls(let error): return error.description
        case .protocolViolation(let error, let peer, let received):
            return "\(peer): not a Redis reply: \(error); it sent \(received)"
        case .incompleteReply(let peer, let seconds, let byteCount, let received):
            let what = byteCount == 0 ? "nothing" : "only \(byteCount) bytes, \(received)"
            return
                "\(peer): no whole reply within \(seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)) s; it sent \(what)"
        case .authenticationFailed(let peer, let message):
            return "\(peer): authentication failed (\(message)); check --password-file / REDIS_PASSWORD and --user"
        case .server(let command, let message, let peer): return "\(peer): \(command) failed: \(message)"
        }
    }

    /// Whether the peer itself misbehaved (spoke no RESP, or not in time) rather than being absent:
    /// such a peer is worth naming in the log and not asking again at once.
    public var isMisbehaviour: Bool {
        switch self {
        case .protocolViolation, .incompleteReply: return true
        // A certificate that fails (another CA, expired, another name) or plaintext on a TLS port.
        case .tls(let error):
            if case .badFile = error { return false }
            return true
        case .transport, .authenticationFailed, .server: return false
        }
    }

    /// The server's error message, for `.server` errors.
    public var serverMessage: String? {
        if case .server(_, let message, _) = self { return message }
        return nil
    }
}
