import JoinLogic

/// Applies `SyncHold` to the local server: one step a pass, a setting changed only when the phase says.
final class SyncHoldKeeper {
    private var phase: SyncHold
    private let declaredReplicas: Int
    private let normalDelay: String
    private let log: Log

    /// `held`: the server was started holding full syncs (`run`); else it is only tuned (`sidecar`).
    init(held: Bool, declaredReplicas: Int, normalDelay: String, log: Log) {
        phase = held ? .held : .untouched
        self.declaredReplicas = declaredReplicas
        self.normalDelay = normalDelay
        self.log = log
    }

    /// The server arguments that start it held; appended last so they win over its config file.
    static let heldServerArguments = ["--repl-diskless-sync", "yes", "--repl-diskless-sync-delay", SyncHold.heldDelay]

    /// Moves the phase on for what `local` shows, setting the delay on the server where the phase says.
    func update(_ local: NodeView, as target: Action.Target, _ executor: Executor) {
        let (next, delay) = phase.next(local: local, declaredReplicas: declaredReplicas, normalDelay: normalDelay)
        if let delay {
            do {
                try executor.perform(.setConfig(on: target, name: "repl-diskless-sync-delay", value: delay))
            } catch {
                log.warning("cannot set repl-diskless-sync-delay to \(delay): \(error); will try again")
                return
            }
            switch next {
            case .quick:
                log.info("empty master: its replicas' first full sync starts at once (repl-diskless-sync-delay 0 until they are online)")
            default: log.info("full syncs from this node wait \(delay) s again (repl-diskless-sync-delay)")
            }
        }
        phase = next
    }
}
