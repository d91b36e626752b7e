/// One command-line option: its flag, its typed default, the commands that take it, one line of help.
/// Every option has an environment twin, `REDIS_INIT_<FLAG>`, so a manifest can set it either way; a
/// flag given on the command line wins. `Settings` reads every default from this table.
struct OptionSpec: Sendable {
    /// A default, as the option's own value would be given, or where the value comes from instead.
    enum Default: Sendable, Equatable {
        case text(String)
        case integer(Int)
        case seconds(Double)
        /// Taken from elsewhere when the option is not given, as --help describes it.
        case derived(String)

        /// The value as if given on the command line; nil for a derived one.
        var value: String? {
            switch self {
            case .text(let text): return text
            case .integer(let number): return String(number)
            case .seconds(let seconds): return seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
            case .derived: return nil
            }
        }

        /// As --help shows it.
        var shown: String {
            if case .derived(let text) = self { return text }
            return value!
        }
    }

    /// `--shards`
    let flag: String
    /// What the value looks like in --help; nil for a switch.
    let placeholder: String?
    let defaultValue: Default?
    /// The commands that take it; a flag another command is given is a usage error.
    let commands: Set<Command>
    /// One line of help.
    let help: String

    /// `REDIS_INIT_SHARDS` for `--shards`.
    var environmentName: String {
        "REDIS_INIT_" + String(flag.dropFirst(2)).uppercased().map { $0 == "-" ? "_" : $0 }.map(String.init).joined()
    }

    var isSwitch: Bool { placeholder == nil }

    /// The option for `flag`, if there is one.
    static func named(_ flag: String) -> OptionSpec? { all.first { $0.flag == flag } }

    /// The options `command` takes, in --help order.
    static func taken(by command: Command) -> [OptionSpec] { all.filter { $0.commands.contains(command) } }
}
