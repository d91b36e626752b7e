import Glibc
import Platform

/// Starts a test server on a random loopback port: a port may be taken, and the server then exits at
/// once, so another is tried. `spawn` starts it on a port; `ready` says, polled until it answers, exits
/// (false) or 5 s pass, whether it is up. Returns the PID and the port.
public func startOnLoopbackPort(
    _ what: String, tries: Int = 5, spawn: (UInt16) throws -> pid_t, ready: (UInt16) -> Bool
) throws -> (pid: pid_t, port: UInt16) {
    for _ in 0..<tries {
        let candidate = UInt16.random(in: 20000...60000)
        let child = try spawn(candidate)
        let deadline = Deadline.after(seconds: 5)
        var status: Int32 = 0
        var exited = false
        while !deadline.hasPassed {
            exited = waitpid(child, &status, WNOHANG) == child
            if exited { break }
            if ready(candidate) { return (child, candidate) }
            sleep(seconds: 0.05)
        }
        // Only a child not yet reaped is signalled: a reaped PID may already be another process's.
        if !exited {
            kill(child, SIGKILL)
            waitpid(child, &status, 0)
        }
    }
    throw SystemError("\(what) did not start on any of \(tries) ports", code: ETIMEDOUT)
}

/// Stops a child a test started: SIGTERM, then reaps it, and sets `pid` to 0 so that it is done once.
/// A `pid` of 0 is left alone: `kill(0, ...)` would signal the test's whole process group.
public func stopChild(_ pid: inout pid_t) {
    guard pid > 0 else { return }
    kill(pid, SIGTERM)
    var status: Int32 = 0
    waitpid(pid, &status, 0)
    pid = 0
}
