import Glibc
import Platform

/// Reads the process environment (a seam for tests of the option table).
func environment(_ name: String) -> String? { Platform.environment(name) }

/// Maps a command's outcome to the process exit code: the one place failures become codes.
func main() -> Int32 {
    let arguments = Array(CommandLine.arguments.dropFirst())
    do {
        let parsed = try ParsedArguments.parse(arguments, environment: environment)
        if parsed.command == "help" || parsed.command == "--help" || parsed.command == "-h" || parsed.isOn("--help") {
            printOut(Help.text)
            return 0
        }
        switch parsed.command {
        case "run": return try RunCommand.execute(parsed)
        case "sidecar": return try SidecarCommand.execute(parsed)
        case "init": return try InitCommand.execute(parsed)
        case "rejoin": return try RejoinCommand.execute(parsed)
        case "peers": return try PeersCommand.execute(parsed)
        case "status": return try StatusCommand.execute(parsed)
        case "probe": return try ProbeCommand.execute(parsed)
        default: throw Failure.usage("unknown command '\(parsed.command)'; commands: run, sidecar, init, rejoin, peers, status, probe")
        }
    } catch {
        let failure = error as? Failure ?? .usage("\(error)")
        let line = Array("redis-init: error: \(failure)\n".utf8)
        _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
        return failure.exitCode
    }
}

exit(main())
