import Glibc

/// A failed system call, named with the call and its errno so a log line says what went wrong.
public struct SystemError: Error, CustomStringConvertible, Sendable {
    /// The call that failed, e.g. `connect`.
    public let call: String
    /// The errno the call left.
    public let code: Int32

    /// Captures the current errno for `call`.
    public init(_ call: String, code: Int32 = errno) {
        self.call = call
        self.code = code
    }

    /// The errno's text, e.g. "No such file or directory".
    public var reason: String { String(cString: strerror(code)) }

    public var description: String { "\(call): \(reason)" }
}

/// Runs a system call, retrying while it is interrupted by a signal (the agent may be PID 1 and
/// receives SIGCHLD often), and throws a `SystemError` for any other failure.
@discardableResult
public func retryingInterrupts<T: BinaryInteger>(_ call: String, _ body: () -> T) throws -> T {
    while true {
        let result = body()
        if result >= 0 { return result }
        if errno == EINTR { continue }
        throw SystemError(call)
    }
}
