import Glibc
import Platform
import TestSupport
import Testing

@testable import RESPClient

/// A real redis-server on a loopback port, started and stopped by PID.
final class LoopbackRedis {
    private(set) var pid: pid_t = 0
    private(set) var port: UInt16 = 0

    init() throws {
        (pid, port) = try startOnLoopbackPort(
            "redis-server",
            spawn: { port in
                try spawnProcess([
                    "redis-server", "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                    "--logfile", "/dev/null",
                ])
            },
            ready: { port in
                let connection = try? RedisConnection(endpoint: Endpoint(IPAddress("127.0.0.1")!, port), timeout: 0.5, credentials: nil)
                return (try? connection?.command("PING")) != nil
            })
    }

    var endpoint: Endpoint { Endpoint(IPAddress("127.0.0.1")!, port) }

    func stop() { stopChild(&pid) }

    deinit { stop() }

    static var isInstalled: Bool { ["/usr/bin/redis-server", "/usr/local/bin/redis-server"].contains { Files.exists($0) } }
}

/// Commands sent in one round trip: replies in order, an error reply in its place, the connection
/// still in step afterwards.
@Suite(.serialized, .enabled(if: LoopbackRedis.isInstalled, "redis-server is installed by scripts/install-test-deps"))
struct PipelineAgainstServerTests {
    @Test func repliesComeBackInOrder() throws {
        let server = try LoopbackRedis()
        let connection = try RedisConnection(endpoint: server.endpoint, timeout: 2, credentials: nil)
        let replies = try connection.sendAll([["SET", "a", "1"], ["INCR", "a"], ["GET", "a"], ["ECHO", "last"]])
        #expect(replies == [.simpleString("OK"), .integer(2), .bulkString(Array("2".utf8)), .bulkString(Array("last".utf8))])
        // Many at once: more than one read's worth of replies.
        let many = try connection.sendAll((0..<2000).map { ["ECHO", "reply \($0)"] })
        #expect(many.count == 2000)
        #expect(many.enumerated().allSatisfy { $0.element.text == "reply \($0.offset)" })
    }

    @Test func anErrorReplyKeepsItsPlace() throws {
        let server = try LoopbackRedis()
        let connection = try RedisConnection(endpoint: server.endpoint, timeout: 2, credentials: nil)
        let replies = try connection.sendAll([["ECHO", "before"], ["NO-SUCH-COMMAND"], ["ECHO", "after"]])
        #expect(replies[0].text == "before")
        guard case .error(let message) = replies[1] else {
            Issue.record("expected an error reply, got \(replies[1])")
            return
        }
        #expect(message.contains("unknown command"))
        #expect(replies[2].text == "after")
        // `commands` throws for the error, and the connection reads the next reply in step.
        #expect(throws: RedisClientError.self) { try connection.commands([["ECHO", "x"], ["NO-SUCH-COMMAND"], ["ECHO", "y"]]) }
        #expect(try connection.command("ECHO", "in step").text == "in step")
    }
}
