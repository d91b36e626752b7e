/// Every way a command can end other than success, each with its own exit code and a message
/// that names the fix. This is the one place errors become exit codes.
enum Failure: Error, CustomStringConvertible {
    /// A bad flag, a bad value, a missing argument.
    case usage(String)
    /// Flags that parse but describe no valid cluster, or an unreadable password file.
    case configuration(String)
    /// Acting would merge clusters or lose data; nothing was changed.
    case refused(String)
    /// The server rejected the credentials.
    case authentication(String)
    /// `status`: the cluster is not in its declared shape.
    case degraded
    /// `run`: the server program could not be started.
    case cannotStartServer(String)

    /// The process exit code (README, "Exit codes").
    var exitCode: Int32 {
        switch self {
        case .degraded: return 1
        case .usage, .configuration: return 2
        case .refused: return 3
        case .authentication: return 4
        case .cannotStartServer: return 127
        }
    }

    var description: String {
        switch self {
        case .usage(let text): return "\(text) (see 'redis-init --help')"
        case .configuration(let text), .refused(let text), .authentication(let text),
            .cannotStartServer(let text):
            return text
        case .degraded: return "the cluster does not match the declaration"
        }
    }
}
