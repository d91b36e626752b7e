import JoinLogic
import Platform

/// `rejoin`, for a human after an incident: reconcile the local node until it is converged, then exit.
/// Exit 0 converged, 3 refused (nothing changed), 1 still not converged when --wait runs out.
enum RejoinCommand {
    static func execute(_ arguments: ParsedArguments) throws(Failure) -> Int32 {
        let settings = try Settings(arguments, needsPod: true, environment: environment)
        let wait = try Settings.seconds(arguments.value("--wait")!, flag: "--wait")
        let mode = AgentStateMachine.Mode.untilConverged(deadline: .after(seconds: wait), waitSeconds: wait)
        switch try Agent(settings: settings, me: settings.me!, mode: mode).run() {
        case .converged: return 0
        case .refused(let reason): throw .refused(reason)
        case .timedOut(let line):
            settings.log.error(line)
            return Failure.degraded.exitCode
        }
    }
}
