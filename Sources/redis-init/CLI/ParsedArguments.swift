/// The command line split into a command, option values (environment twins filled in first),
/// words for the commands that take them (`probe readiness`), and, for `run`, the server command
/// after `--`.
struct ParsedArguments {
    let command: String
    let values: [String: String]
    let positional: [String]
    let serverCommand: [String]

    /// Commands that take words besides options.
    static let commandsWithWords: Set<String> = ["probe"]

    /// Parses argv (without the program name) against `OptionSpec.all`.
    static func parse(_ arguments: [String], environment: (String) -> String?) throws(Failure) -> ParsedArguments {
        var values: [String: String] = [:]
        for spec in OptionSpec.all {
            if let value = environment(spec.environmentName) { values[spec.flag] = value }
        }
        var rest = arguments[...]
        guard let command = rest.first else { return ParsedArguments(command: "help", values: values, positional: [], serverCommand: []) }
        rest = rest.dropFirst()
        var serverCommand: [String] = []
        var positional: [String] = []
        while let argument = rest.first {
            rest = rest.dropFirst()
            if argument == "--" {
                serverCommand = Array(rest)
                break
            }
            if argument == "-h" {
                values["--help"] = "true"
                continue
            }
            let (flag, inline) = argument.split(separator: "=", maxSplits: 1).count == 2 && argument.hasPrefix("--")
                ? (String(argument.prefix { $0 != "=" }), String(argument.drop { $0 != "=" }.dropFirst())) : (argument, nil)
            guard let spec = OptionSpec.all.first(where: { $0.flag == flag }) else {
                if argument.hasPrefix("-") { throw .usage("unknown option '\(flag)'") }
                if Self.commandsWithWords.contains(command) {
                    positional.append(argument)
                    continue
                }
                throw .usage("unexpected argument '\(argument)'" + (command == "run" ? "; put the server command after '--'" : ""))
            }
            if spec.isSwitch {
                guard inline == nil else { throw .usage("\(flag) takes no value") }
                values[flag] = "true"
            } else if let inline {
                values[flag] = inline
            } else {
                guard let value = rest.first else { throw .usage("\(flag) needs a value: \(spec.placeholder!)") }
                rest = rest.dropFirst()
                values[flag] = value
            }
        }
        return ParsedArguments(command: command, values: values, positional: positional, serverCommand: serverCommand)
    }

    /// Whether a switch is on (`true`, `1`, `yes` from the environment count too).
    func isOn(_ flag: String) -> Bool {
        guard let value = values[flag]?.lowercased() else { return false }
        return ["true", "1", "yes", "on"].contains(value)
    }
}
