/// Why a socket operation failed, with the peer it was talking to.
public enum SocketError: Error, CustomStringConvertible, Sendable {
    /// The deadline passed during `operation`.
    case timedOut(operation: String, peer: Endpoint)
    /// The peer closed the connection.
    case closed(peer: Endpoint)
    /// A system call failed.
    case system(SystemError, peer: Endpoint)

    public var description: String {
        switch self {
        case .timedOut(let operation, let peer): return "\(peer): timed out during \(operation)"
        case .closed(let peer): return "\(peer): connection closed by peer"
        case .system(let error, let peer): return "\(peer): \(error)"
        }
    }
}
