/// The command line split into a command, option values (environment twins filled in first), words
/// for the commands that take them (`probe readiness`), and, for `run`, the server command after `--`.
struct ParsedArguments {
    /// nil for `redis-init` alone, `--help` or `--version` without a command.
    let command: Command?
    /// The values given, by flag: on the command line, else in the environment.
    let values: [String: String]
    let positional: [String]
    let serverCommand: [String]

    /// The value of `flag`: given, else its default from the table (nil for none, or a derived one).
    func value(_ flag: String) -> String? {
        values[flag] ?? OptionSpec.named(flag)?.defaultValue?.value
    }

    /// Whether a switch is on (`true`, `1`, `yes`, `on` from the environment count too).
    func isOn(_ flag: String) -> Bool {
        guard let value = values[flag]?.lowercased() else { return false }
        return ["true", "1", "yes", "on"].contains(value)
    }

    /// Parses argv (without the program name) against `OptionSpec.all`. A flag the command does not take
    /// is a usage error; an environment twin it does not take is ignored (a pod's containers often share
    /// one environment).
    static func parse(_ arguments: [String], environment: (String) -> String?) throws(Failure) -> ParsedArguments {
        var rest = arguments[...]
        var command: Command? = nil
        if rest.first == "help" {
            rest = ["--help"] + rest.dropFirst()
        } else if let first = rest.first, !first.hasPrefix("-") {
            guard let known = Command(rawValue: first) else {
                throw .usage("unknown command '\(first)'; commands: \(Command.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            command = known
            rest = rest.dropFirst()
        }
        var values: [String: String] = [:]
        for spec in command.map(OptionSpec.taken(by:)) ?? [] {
            if let value = environment(spec.environmentName) { values[spec.flag] = value }
        }
        var serverCommand: [String] = []
        var positional: [String] = []
        while let argument = rest.first {
            rest = rest.dropFirst()
            if argument == "--" {
                serverCommand = Array(rest)
                break
            }
            let isOption = argument.hasPrefix("-")
            let split = isOption ? argument.split(separator: "=", maxSplits: 1).map(String.init) : [argument]
            let flag = argument == "-h" ? "--help" : split[0]
            guard let spec = OptionSpec.named(flag) else {
                if isOption { throw .usage("unknown option '\(flag)'") }
                if command?.takesWords == true {
                    positional.append(argument)
                    continue
                }
                throw .usage("unexpected argument '\(argument)'" + (command == .run ? "; put the server command after '--'" : ""))
            }
            if let command, !spec.commands.contains(command) {
                throw .usage("\(command.rawValue) does not take \(flag); see 'redis-init \(command.rawValue) --help'")
            }
            if spec.isSwitch {
                guard split.count == 1 else { throw .usage("\(flag) takes no value") }
                values[flag] = "true"
            } else if split.count == 2 {
                values[flag] = split[1]
            } else {
                guard let value = rest.first else { throw .usage("\(flag) needs a value: \(spec.placeholder!)") }
                rest = rest.dropFirst()
                values[flag] = value
            }
        }
        return ParsedArguments(command: command, values: values, positional: positional, serverCommand: serverCommand)
    }
}
