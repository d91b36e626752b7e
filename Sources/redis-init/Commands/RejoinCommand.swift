import JoinLogic
import Platform

/// `rejoin`, for a human after an incident: reconcile the local node until it is converged, then exit.
/// Exit 0 converged, 3 refused (nothing changed), 1 still not converged when --wait runs out.
enum RejoinCommand {
    static func execute(_ arguments: ParsedArguments) throws(Failure) -> Int32 {
        let settings = try Settings(arguments, needsPod: true, environment: environment)
        let wait = try Settings.seconds(arguments.values["--wait"] ?? "60", flag: "--wait")
        let agent = Agent(settings: settings, me: settings.me!)
        let deadline = Deadline.after(seconds: wait)
        while true {
            switch try agent.pass() {
            case .converged: return 0
            case .refuse(let reason): throw .refused(reason)
            case .act: sleep(seconds: 0.02)
            case .wait(let reason), .awaitFailover(let reason):
                if deadline.hasPassed {
                    settings.log.error("not converged after \(Int(wait)) s: \(reason)")
                    return Failure.degraded.exitCode
                }
                sleep(seconds: 0.1)
            }
        }
    }
}
