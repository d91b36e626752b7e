import Glibc

/// Starts `argv` (looked up in PATH) with this process's environment and streams, and returns its pid.
/// The child starts with no signal blocked and with `defaultSignals` at their default action: a thread
/// that blocks signals (the agent's do, so do the test runner's) would otherwise pass that on, and a
/// SIGTERM would never reach the child.
public func spawnProcess(_ argv: [String], defaultSignals: [Int32] = []) throws(SystemError) -> pid_t {
    var pid: pid_t = 0
    let cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
    defer { cArguments.forEach { free($0) } }
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for signal in defaultSignals { sigaddset(&defaults, signal) }
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    var unblocked = sigset_t()
    sigemptyset(&unblocked)
    posix_spawnattr_setsigmask(&attributes, &unblocked)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
    let result = posix_spawnp(&pid, argv[0], nil, &attributes, cArguments, environ)
    guard result == 0 else { throw SystemError("posix_spawnp \(argv[0])", code: result) }
    return pid
}
