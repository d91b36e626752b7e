/// `handover`, for a preStop hook where the server is another container (`sidecar`): the handover `run`
/// makes on SIGTERM. Exit 0 once the local node serves no slots, 1 with the reason otherwise.
enum HandoverCommand {
    static func execute(_ arguments: ParsedArguments) throws(Failure) -> Int32 {
        let settings = try Settings(arguments, needsPod: true, environment: environment)
        let ending = HandoverRunner.run(settings: settings, me: settings.me!)
        settings.log.report(ending)
        return ending.isClean ? 0 : Failure.degraded.exitCode
    }
}
