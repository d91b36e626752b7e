/// `--help`, generated from the command and option tables, so it cannot drift from what the parser
/// accepts: every command and option, or one command and the options it takes.
enum Help {
    /// The version `--version` prints: the image tag the deployment files use.
    static let version = "0.1.0"

    /// `redis-init --help`.
    static var text: String {
        var lines = ["redis-init: forms and heals a Redis Cluster on Kubernetes from the headless Service's DNS alone.", "", "Usage:"]
        lines += Command.allCases.map { "  redis-init \($0.usage)\n      \($0.summary)" }
        lines += ["", "Options (each also read from the environment variable shown; a flag wins):"]
        lines += OptionSpec.all.map { describe($0, commandsShown: true) }
        return (lines + footer).joined(separator: "\n")
    }

    /// `redis-init COMMAND --help`.
    static func text(for command: Command) -> String {
        var lines = [
            "Usage: redis-init \(command.usage)", "", command.summary, "",
            "Options (each also read from the environment variable shown; a flag wins):",
        ]
        lines += OptionSpec.taken(by: command).map { describe($0, commandsShown: false) }
        return (lines + footer).joined(separator: "\n")
    }

    private static func describe(_ spec: OptionSpec, commandsShown: Bool) -> String {
        let flag = spec.placeholder.map { "\(spec.flag) \($0)" } ?? spec.flag
        let defaultText = spec.defaultValue.map { " [default: \($0.shown)]" } ?? ""
        let commands =
            spec.commands.count == Command.allCases.count || !commandsShown
            ? "" : " [\(Command.allCases.filter(spec.commands.contains).map(\.rawValue).joined(separator: ", "))]"
        return "  \(flag)\n      \(spec.help)\(defaultText)\(commands)  (\(spec.environmentName))"
    }

    private static let footer = [
        "",
        "The password is never taken from the command line: use --password-file, REDIS_PASSWORD or REDISCLI_AUTH.",
        "",
        "Exit codes: 0 ok; 1 degraded (status), unresolved peers (peers), not live or ready (probe), not converged",
        "in time (rejoin); 2 usage or configuration error; 3 refused (acting would lose data or merge clusters);",
        "4 authentication failed; 127 the server program could not be started;",
        "run: otherwise the server's own exit status (128 + signal when killed).",
    ]
}

extension Help {
    /// What to print instead of running a command: the version, a help text, or nil to run it.
    static func requested(_ arguments: ParsedArguments) -> String? {
        if arguments.isOn("--version") { return "redis-init \(version)" }
        guard let command = arguments.command else {
            // `redis-init` alone is a request for help; options without a command are not.
            return arguments.values.isEmpty || arguments.isOn("--help") ? text : nil
        }
        return arguments.isOn("--help") ? text(for: command) : nil
    }
}

extension Help {
    /// The options as the README's table shows them.
    static var markdownTable: String {
        var rows = ["| option | environment | default | commands | what it does |", "|---|---|---|---|---|"]
        for spec in OptionSpec.all {
            let flag = spec.placeholder.map { "`\(spec.flag) \($0)`" } ?? "`\(spec.flag)`"
            let commands =
                spec.commands.count == Command.allCases.count
                ? "all" : Command.allCases.filter(spec.commands.contains).map(\.rawValue).joined(separator: ", ")
            let defaultText = spec.defaultValue.map { "`\($0.shown)`" } ?? ""
            rows.append(
                "| \(flag.split(separator: "|", omittingEmptySubsequences: false).joined(separator: "\\|")) | `\(spec.environmentName)` | \(defaultText) | \(commands) | \(spec.help) |"
            )
        }
        return rows.joined(separator: "\n")
    }
}
