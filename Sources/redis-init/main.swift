import Glibc
import Platform

/// Reads the process environment; the parser and `Settings` take it as a parameter, so tests pass their own.
func environment(_ name: String) -> String? { Platform.environment(name) }

/// Maps a command's outcome to the process exit code: the one place failures become codes.
func main() -> Int32 {
    do {
        let parsed = try ParsedArguments.parse(Array(CommandLine.arguments.dropFirst()), environment: environment)
        if let text = Help.requested(parsed) {
            printOut(text)
            return 0
        }
        switch parsed.command {
        case .run?: return try RunCommand.execute(parsed)
        case .sidecar?: return try SidecarCommand.execute(parsed)
        case .`init`?: return try InitCommand.execute(parsed)
        case .rejoin?: return try RejoinCommand.execute(parsed)
        case .handover?: return try HandoverCommand.execute(parsed)
        case .peers?: return try PeersCommand.execute(parsed)
        case .status?: return try StatusCommand.execute(parsed)
        case .probe?: return try ProbeCommand.execute(parsed)
        case nil: throw Failure.usage("no command given; commands: \(Command.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    } catch {
        let failure = error as? Failure ?? .usage("\(error)")
        let line = Array("redis-init: error: \(failure)\n".utf8)
        _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
        return failure.exitCode
    }
}

exit(main())
