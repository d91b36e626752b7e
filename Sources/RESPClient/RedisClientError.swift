import Platform

/// Why a request to a Redis server failed. Separates the peer's transport, its protocol, its
/// authentication and a server `-ERR` reply, because the agent reacts to each differently.
public enum RedisClientError: Error, Sendable, CustomStringConvertible {
    /// Could not connect, the connection broke, or a deadline passed.
    case transport(SocketError)
    /// The peer sent bytes that are not RESP.
    case protocolViolation(RESPParsingError, peer: Endpoint)
    /// The server rejected the credentials (WRONGPASS, NOAUTH, or AUTH without a password set).
    case authenticationFailed(peer: Endpoint, message: String)
    /// The server answered the command with an error reply.
    case server(command: String, message: String, peer: Endpoint)

    public var description: String {
        switch self {
        case .transport(let error): return error.description
        case .protocolViolation(let error, let peer): return "\(peer): not a Redis reply: \(error)"
        case .authenticationFailed(let peer, let message):
            return "\(peer): authentication failed (\(message)); check --password-file / REDIS_PASSWORD and --user"
        case .server(let command, let message, let peer): return "\(peer): \(command) failed: \(message)"
        }
    }

    /// The server's error message, for `.server` errors.
    public var serverMessage: String? {
        if case .server(_, let message, _) = self { return message }
        return nil
    }
}
