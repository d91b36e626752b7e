import Declaration
import JoinLogic
import Platform
import RESPClient
import Testing

@testable import redis_init

/// `LegacySlotMover.migrateCommand`: what each `MIGRATE` carries. Keys are bytes, never decoded; the
/// destination is the address the source reaches; credentials ride as AUTH or AUTH2.
@Suite struct SlotMoverTests {
    func mover(_ arguments: [String], _ environment: [String: String] = [:]) throws -> LegacySlotMover {
        let parsed = try ParsedArguments.parse(arguments, environment: { environment[$0] })
        return LegacySlotMover(settings: try Settings(parsed, needsPod: false, environment: { environment[$0] }))
    }

    let move = SlotMove(
        source: SlotMove.End(
            id: String(repeating: "a", count: 40), endpoint: Endpoint(IPAddress("198.18.0.1")!, 6379), name: "rc-shard0-0"),
        destination: SlotMove.End(
            id: String(repeating: "b", count: 40), endpoint: Endpoint(IPAddress("2001:2::7")!, 6380), name: "rc-shard3-0"),
        slots: [SlotRange(5, 9)])

    @Test func keysGoAsTheyAreWithReplace() throws {
        let plain = try mover(["status", "--name", "rc", "--shards", "3", "--timeout", "2"])
        let keys: [[UInt8]] = [[0xff, 0x00, 0x41], Array("{w1}:7".utf8)]
        let command = plain.migrateCommand(move, keys: keys)
        let words = command.prefix(8).map { String(decoding: $0, as: UTF8.self) }
        #expect(words == ["MIGRATE", "2001:2::7", "6380", "", "0", "2000", "REPLACE", "KEYS"])
        #expect(Array(command.suffix(2)) == keys)
        #expect(move.description == "move 5 slots (5-9) from rc-shard0-0 to rc-shard3-0")
    }

    @Test func credentialsRideAsAuthOrAuth2() throws {
        let password = try mover(["status", "--name", "rc", "--shards", "3"], ["REDIS_PASSWORD": "s3cret"])
        let words = password.migrateCommand(move, keys: [[0x6b]]).map { String(decoding: $0, as: UTF8.self) }
        #expect(Array(words[7...10]) == ["AUTH", "s3cret", "KEYS", "k"])
        let user = try mover(["status", "--name", "rc", "--shards", "3", "--user", "ops"], ["REDIS_PASSWORD": "s3cret"])
        let withUser = user.migrateCommand(move, keys: [[0x6b]]).map { String(decoding: $0, as: UTF8.self) }
        #expect(Array(withUser[7...11]) == ["AUTH2", "ops", "s3cret", "KEYS", "k"])
        let refused = LegacySlotMover.MoveError.refused(slot: 7, step: "MIGRATE", "ERR Target instance replied with error: NOAUTH")
        #expect(!refused.description.contains("s3cret"))
    }
}
