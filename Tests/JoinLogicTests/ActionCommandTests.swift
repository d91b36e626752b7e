import Declaration
import Platform
import Testing

@testable import JoinLogic

/// What each action sends (`Action.command`), and how the executor groups them.
@Suite struct ActionCommandTests {
    let f = Fixture()
    var target: Action.Target { Action.Target(pod: f.pod(0, 0), endpoint: f.endpoint(f.pod(0, 0))) }

    @Test func eachActionRendersItsCommand() {
        let id = String(repeating: "c", count: 40)
        let table: [(Action, [String])] = [
            (.setConfigEpoch(on: target, epoch: 3), ["CLUSTER", "SET-CONFIG-EPOCH", "3"]),
            (
                .addSlots(on: target, ranges: [SlotRange(0, 5460), SlotRange(9000, 9000)]),
                ["CLUSTER", "ADDSLOTSRANGE", "0", "5460", "9000", "9000"]
            ),
            (.meet(on: target, ip: "198.18.0.2", port: 6379, busPort: 16379, peer: "p"), ["CLUSTER", "MEET", "198.18.0.2", "6379"]),
            (.meet(on: target, ip: "2001:2::5", port: 7000, busPort: 7100, peer: "p"), ["CLUSTER", "MEET", "2001:2::5", "7000", "7100"]),
            (.meet(on: target, ip: "198.18.0.2", port: 6379, busPort: 0, peer: "p"), ["CLUSTER", "MEET", "198.18.0.2", "6379"]),
            (.replicate(on: target, masterID: id, master: "m"), ["CLUSTER", "REPLICATE", id]),
            (.forget(on: target, nodeID: id, pod: nil), ["CLUSTER", "FORGET", id]),
            (.takeOver(on: target, shard: 1), ["CLUSTER", "FAILOVER", "TAKEOVER"]),
            (.setConfig(on: target, name: "repl-diskless-sync-delay", value: "0"), ["CONFIG", "SET", "repl-diskless-sync-delay", "0"]),
        ]
        for (action, command) in table { #expect(action.command == command, "\(action)") }
    }

    @Test func addSlotsFallsBackToBatchesOfAddSlots() {
        let batches = Action.addSlots(on: target, ranges: [SlotRange(0, 4999), SlotRange(6000, 6001)]).addSlotsFallback
        #expect(batches.map(\.count) == [2002, 2002, 1004])
        #expect(batches[0].prefix(4) == ["CLUSTER", "ADDSLOTS", "0", "1"])
        #expect(batches[2].suffix(3) == ["4999", "6000", "6001"])
        #expect(Action.takeOver(on: target, shard: 0).addSlotsFallback.isEmpty)
    }

    @Test func aForgetOfANodeAlreadyForgottenIsDone() {
        #expect(Action.forget(on: target, nodeID: "x", pod: nil).isDone(despite: "ERR Unknown node x"))
        #expect(!Action.forget(on: target, nodeID: "x", pod: nil).isDone(despite: "ERR Can't forget my master!"))
        #expect(!Action.replicate(on: target, masterID: "x", master: "m").isDone(despite: "ERR Unknown node x"))
    }

    @Test func meetsInARowToOneServerShareARoundTrip() {
        let other = Action.Target(pod: f.pod(1, 0), endpoint: f.endpoint(f.pod(1, 0)))
        func meet(_ on: Action.Target, _ peer: String) -> Action {
            .meet(on: on, ip: "198.18.9.\(peer.count)", port: 6379, busPort: 16379, peer: peer)
        }
        let actions = [
            meet(target, "a"), meet(target, "bb"), meet(other, "c"), .replicate(on: other, masterID: "x", master: "m"), meet(other, "d"),
        ]
        #expect(Action.roundTrips(actions).map(\.count) == [2, 1, 1, 1])
    }
}
