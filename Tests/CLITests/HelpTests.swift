import Platform
import Testing

@testable import redis_init

/// `--help` and `--version`, and the README's options table, all from the same option table.
@Suite struct HelpTests {
    func requested(_ arguments: [String]) throws -> String? {
        try Help.requested(ParsedArguments.parse(arguments, environment: { _ in nil }))
    }

    @Test func eachCommandsHelpListsTheOptionsItTakesAndNoOthers() throws {
        for command in Command.allCases {
            let text = try #require(try requested([command.rawValue, "--help"]))
            #expect(text.hasPrefix("Usage: redis-init \(command.usage)"))
            for spec in OptionSpec.all {
                #expect(text.contains("  \(spec.flag)") == spec.commands.contains(command), "\(command) \(spec.flag)")
            }
        }
    }

    @Test func theGeneralHelpListsEveryCommandAndOption() throws {
        for arguments in [[], ["--help"], ["help"], ["-h"]] {
            let text = try #require(try requested(arguments))
            for command in Command.allCases { #expect(text.contains("redis-init \(command.usage)")) }
            for spec in OptionSpec.all { #expect(text.contains("(\(spec.environmentName))")) }
        }
        #expect(try requested(["--shards", "3"]) == nil)
        #expect(try requested(["status", "--shards", "3"]) == nil)
    }

    @Test func versionIsPrinted() throws {
        #expect(try requested(["--version"]) == "redis-init \(Help.version)")
        #expect(try requested(["status", "--version"]) == "redis-init \(Help.version)")
    }

    /// The README's options table, as the option table renders it: run this test and paste its output
    /// into the README when an option changes.
    @Test func theReadmesOptionsTableIsTheOptionTable() throws {
        let root = String(#filePath.dropLast("Tests/CLITests/HelpTests.swift".count))
        let readme = try Files.readText(root + "README.md")
        let table = Help.markdownTable
        #expect(readme.contains(table), "README.md's options table should read:\n\(table)")
    }
}
