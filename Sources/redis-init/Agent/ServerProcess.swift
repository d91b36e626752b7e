import Glibc
import Platform

/// The pid signals are forwarded to; set once the server is spawned. A signal handler can only
/// reach global state, hence the global.
nonisolated(unsafe) private var serverPID: pid_t = 0
/// A signal that arrived before the server existed, delivered right after it is spawned.
nonisolated(unsafe) private var pendingSignal: Int32 = 0
/// Set once a handover waits for the first SIGTERM (`awaitTermination`); that SIGTERM then posts
/// `termination` instead of reaching the server, and a second one reaches it at once.
nonisolated(unsafe) private var handoverArmed: Int32 = 0
nonisolated(unsafe) private var termination = sem_t()

/// `run`'s child: the server. The agent may be PID 1, so it forwards termination signals and reaps
/// every child that exits, not only the server.
enum ServerProcess {
    /// Signals a container runtime or a human sends that belong to the server.
    static let forwarded: [Int32] = [SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2]

    /// Installs the forwarding handlers; call before `spawn`.
    static func forwardSignals() {
        for signal in forwarded {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { received in
                if received == SIGTERM && handoverArmed == 1 {
                    handoverArmed = 2
                    sem_post(&termination)  // async-signal-safe
                } else if serverPID > 0 {
                    kill(serverPID, received)
                } else {
                    pendingSignal = received
                }
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            sigaction(signal, &action, nil)
        }
    }

    /// Starts `command` (looked up in PATH) with this process's environment and streams.
    static func spawn(_ command: [String]) throws(Failure) -> pid_t {
        let pid: pid_t
        do {
            pid = try spawnProcess(command, defaultSignals: forwarded)
        } catch {
            throw .cannotStartServer("cannot start '\(command[0])': \(error.reason); is it installed and in PATH?")
        }
        serverPID = pid
        if pendingSignal != 0 { kill(pid, pendingSignal) }
        return pid
    }

    /// Reaps children until `pid` exits; returns its exit code (128 + signal when killed), as a shell does.
    static func waitForExit(of pid: pid_t) -> Int32 {
        while true {
            var status: Int32 = 0
            let reaped = waitpid(-1, &status, 0)
            if reaped < 0 {
                if errno == EINTR { continue }
                return 1
            }
            guard reaped == pid else { continue }  // an orphan reparented to us (PID 1)
            let signal = status & 0x7F
            return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
        }
    }

    /// Blocks until the first SIGTERM after the server started, which then does not reach the server:
    /// the caller hands over first, then calls `terminate`. Call from a thread of its own, after `spawn`.
    static func awaitTermination() {
        sem_init(&termination, 0, 0)
        handoverArmed = 1
        while sem_wait(&termination) != 0 && errno == EINTR {}
    }

    /// Asks the server to stop (the agent hit a failure no retry can cure, or a handover is over).
    static func terminate() {
        if serverPID > 0 { kill(serverPID, SIGTERM) }
    }
}
