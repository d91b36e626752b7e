import Declaration
import Platform
import Testing

@testable import JoinLogic

/// `HandoverStateMachine`, driven by a fake clock.
@Suite struct HandoverStateMachineTests {
    let f = Fixture()
    var clock = FakeClock()
    var failover: Action { .failover(on: f.target(f.pod(1, 1)), shard: 1, from: "rc-shard1-0") }

    @Test mutating func theFailoverIsSentOnceThenAgainAfterRedisGaveItUp() {
        var m = HandoverStateMachine(started: clock.now, timeout: 20)
        #expect(m.step(.handOver(failover), now: clock.now) == .send(failover))
        clock.advance(4.9)
        #expect(m.step(.handOver(failover), now: clock.now) == .pause(seconds: 0.05))
        clock.advance(0.1)
        #expect(m.step(.handOver(failover), now: clock.now) == .send(failover))
    }

    @Test mutating func itEndsHandedOverOnceTheNodeServesNoSlots() {
        var m = HandoverStateMachine(started: clock.now, timeout: 20)
        _ = m.step(.handOver(failover), now: clock.now)
        clock.advance(0.25)
        #expect(m.step(.noHeir("the heir is being elected"), now: clock.now) == .pause(seconds: 0.05))
        clock.advance(0.2)
        #expect(
            m.step(.servesNoSlots("this node is a replica"), now: clock.now)
                == .end(.handedOver("shard 1 handed over to rc-shard1-1 in 0.5 s")))
    }

    @Test mutating func withNothingSentItEndsAtOnce() {
        var replica = HandoverStateMachine(started: clock.now, timeout: 20)
        #expect(
            replica.step(.servesNoSlots("this node is a replica"), now: clock.now) == .end(.nothingToHandOver("this node is a replica")))
        var lone = HandoverStateMachine(started: clock.now, timeout: 20)
        #expect(lone.step(.noHeir("it has no replica"), now: clock.now) == .end(.noHeir("it has no replica")))
    }

    @Test mutating func itGivesUpAtTheTimeout() {
        var m = HandoverStateMachine(started: clock.now, timeout: 8)
        _ = m.step(.handOver(failover), now: clock.now)
        clock.advance(7.9)
        #expect(m.step(.handOver(failover), now: clock.now) == .send(failover))
        clock.advance(0.1)
        #expect(
            m.step(.handOver(failover), now: clock.now)
                == .end(.gaveUp("no handover within 8 s (--handover-timeout): rc-shard1-1 had not taken over; stopping as it is")))
    }

    @Test mutating func aSyncingHeirIsWaitedForUntilTheTimeout() {
        var m = HandoverStateMachine(started: clock.now, timeout: 10)
        #expect(m.step(.awaitHeir("rc-shard1-1 syncing"), now: clock.now) == .pause(seconds: 0.05))
        clock.advance(3)
        #expect(m.step(.handOver(failover), now: clock.now) == .send(failover))
        var late = HandoverStateMachine(started: clock.now, timeout: 10)
        clock.advance(10)
        #expect(
            late.step(.awaitHeir("rc-shard1-1 syncing"), now: clock.now)
                == .end(.gaveUp("no handover within 10 s (--handover-timeout): rc-shard1-1 syncing; stopping as it is")))
    }

    @Test func onlyAHandoverOrNothingToDoIsClean() {
        #expect(HandoverStateMachine.Ending.handedOver("").isClean)
        #expect(HandoverStateMachine.Ending.nothingToHandOver("").isClean)
        #expect(!HandoverStateMachine.Ending.noHeir("").isClean)
        #expect(!HandoverStateMachine.Ending.gaveUp("").isClean)
    }
}
