/// `sidecar`: the agent against a server someone else started (another container of the pod).
enum SidecarCommand {
    static func execute(_ arguments: ParsedArguments) throws(Failure) -> Int32 {
        let settings = try Settings(arguments, needsPod: true, environment: environment)
        try Agent(settings: settings, me: settings.me!, mode: .service).runForever()
    }
}
