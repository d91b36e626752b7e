/// Why a name did not resolve. The agent prints these in its progress lines, so each says what
/// was tried.
public enum ResolveError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Every candidate name was answered NXDOMAIN or with no records of the type.
    case notFound(name: String)
    /// No server gave a usable answer (SERVFAIL, REFUSED, timeouts, malformed replies).
    case serverFailure(name: String, detail: String)
    /// The name cannot be sent as a query.
    case invalidName(String)

    public var description: String {
        switch self {
        case .notFound(let name): return "\(name): no such name (yet)"
        case .serverFailure(let name, let detail): return "\(name): DNS servers gave no answer: \(detail)"
        case .invalidName(let name): return "'\(name)' is not a valid DNS name"
        }
    }
}
