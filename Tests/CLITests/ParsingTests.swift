import Testing

@testable import redis_init

/// How argv and the environment become a command and option values, table-driven.
@Suite struct ParsingTests {
    static let declaration = ["--name", "rc", "--shards", "3"]

    func parse(_ arguments: [String], _ environment: [String: String] = [:]) throws(Failure) -> ParsedArguments {
        try ParsedArguments.parse(arguments, environment: { environment[$0] })
    }

    @Test func valuesSwitchesWordsAndTheServerCommand() throws {
        let cases: [([String], [String: String], [String], [String])] = [
            (["peers", "--name", "rc", "--shards", "3"], ["--name": "rc", "--shards": "3"], [], []),
            (["peers", "--name=rc", "--shards=3", "--json"], ["--name": "rc", "--shards": "3", "--json": "true"], [], []),
            (["probe", "readiness", "--shards", "3"], ["--shards": "3"], ["readiness"], []),
            (["run", "--shards", "3", "--", "redis-server", "--port", "7000"], ["--shards": "3"], [], ["redis-server", "--port", "7000"]),
            (["status", "-h"], ["--help": "true"], [], []),
        ]
        for (argv, values, words, server) in cases {
            let parsed = try parse(argv)
            #expect(parsed.values == values, "\(argv)")
            #expect(parsed.positional == words, "\(argv)")
            #expect(parsed.serverCommand == server, "\(argv)")
        }
    }

    @Test func everyOptionHasAnEnvironmentTwinReadForTheCommandsThatTakeIt() throws {
        for spec in OptionSpec.all {
            for command in Command.allCases {
                let parsed = try parse([command.rawValue], [spec.environmentName: "from-env"])
                #expect(parsed.values[spec.flag] == (spec.commands.contains(command) ? "from-env" : nil), "\(command) \(spec.flag)")
            }
        }
        #expect(OptionSpec.named("--failover-timeout")?.environmentName == "REDIS_INIT_FAILOVER_TIMEOUT")
    }

    @Test func aFlagWinsOverItsEnvironmentTwin() throws {
        let parsed = try parse(["status", "--shards", "5"], ["REDIS_INIT_SHARDS": "3", "REDIS_INIT_NAME": "rc"])
        #expect(parsed.values["--shards"] == "5")
        #expect(parsed.values["--name"] == "rc")
    }

    @Test func usageErrorsNameTheProblem() {
        let cases: [([String], String)] = [
            (["frobnicate"], "unknown command 'frobnicate'; commands: run, sidecar, init, rejoin, handover, peers, status, probe"),
            (["peers", "--bogus"], "unknown option '--bogus'"),
            (["peers", "--install-to", "/x"], "peers does not take --install-to; see 'redis-init peers --help'"),
            (["status", "--interval", "1"], "status does not take --interval; see 'redis-init status --help'"),
            (["sidecar", "--sync-delay", "0"], "sidecar does not take --sync-delay; see 'redis-init sidecar --help'"),
            (["peers", "--json=yes"], "--json takes no value"),
            (["peers", "--shards"], "--shards needs a value: M"),
            (["status", "extra"], "unexpected argument 'extra'"),
            (["run", "redis-server"], "unexpected argument 'redis-server'; put the server command after '--'"),
        ]
        for (argv, message) in cases {
            #expect(throws: Failure.self, "\(argv)") { try parse(argv) }
            do {
                _ = try parse(argv)
            } catch {
                #expect(error.exitCode == 2, "\(argv)")
                #expect("\(error)" == "\(message) (see 'redis-init --help')", "\(argv)")
            }
        }
    }

    @Test func switchesFromTheEnvironmentTakeTheUsualWordsForOn() throws {
        for word in ["true", "1", "yes", "on", "YES"] {
            #expect(try parse(["status"], ["REDIS_INIT_JSON": word]).isOn("--json"), "\(word)")
        }
        #expect(try !parse(["status"], ["REDIS_INIT_JSON": "no"]).isOn("--json"))
    }
}
