import Declaration
import Platform
import Testing

@testable import JoinLogic

/// The agent's timing rules, each driven by a fake clock: the failover bound, repeat suppression,
/// progress throttling and the end of `rejoin` (pacing and the refusal grace: `AgentPacingTests`).
@Suite struct AgentStateMachineTests {
    let f = Fixture()
    var clock = FakeClock()

    func machine(_ mode: AgentStateMachine.Mode = .service, failoverTimeout: Double = 60) -> AgentStateMachine {
        AgentStateMachine(mode: mode, pod: f.pod(1, 1), podCount: 6, interval: 5, failoverTimeout: failoverTimeout)
    }

    var meet: Action {
        .meet(
            on: Action.Target(pod: f.pod(1, 1), endpoint: f.endpoint(f.pod(1, 1))), ip: "198.18.1.1", port: 6379, busPort: 16379,
            peer: "rc-shard1-0")
    }

    @Test mutating func aFailoverWaitBecomesARefusalAtTheTimeout() {
        var m = machine(failoverTimeout: 30)
        #expect(m.step(.awaitFailover("shard 1"), settled: true, now: clock.now).decision == .awaitFailover("shard 1"))
        clock.advance(29.9)
        #expect(m.step(.awaitFailover("shard 1"), settled: true, now: clock.now).decision == .awaitFailover("shard 1"))
        clock.advance(0.1)
        let step = m.step(.awaitFailover("shard 1"), settled: true, now: clock.now)
        guard case .refuse(let text) = step.decision else { Issue.record("expected a refusal, got \(step.decision)"); return }
        #expect(text.hasPrefix("no failover within 30 s (--failover-timeout): shard 1."))
        #expect(step.lines == [.error("refusing to act: \(text)")])
    }

    @Test mutating func anythingElseRestartsTheFailoverBound() {
        var m = machine(failoverTimeout: 30)
        _ = m.step(.awaitFailover("shard 1"), settled: true, now: clock.now)
        clock.advance(20)
        _ = m.step(.wait("the local server"), settled: true, now: clock.now)
        clock.advance(20)
        #expect(m.step(.awaitFailover("shard 1"), settled: true, now: clock.now).decision == .awaitFailover("shard 1"))
    }

    @Test mutating func theSameActionsAreNotSentAgainFor2Seconds() {
        var m = machine()
        #expect(m.step(.act([meet]), settled: true, now: clock.now).actions == [meet])
        clock.advance(1.9)
        let again = m.step(.act([meet]), settled: true, now: clock.now)
        #expect(again.actions.isEmpty)
        #expect(again.decision == .wait("waiting for \(meet.description) to take effect"))
        clock.advance(0.1)
        #expect(m.step(.act([meet]), settled: true, now: clock.now).actions == [meet])
    }

    @Test mutating func otherActionsAreSentAtOnce() {
        var m = machine()
        _ = m.step(.act([meet]), settled: true, now: clock.now)
        let forget = Action.forget(on: meet.target, nodeID: String(repeating: "b", count: 40), pod: nil)
        clock.advance(0.5)
        #expect(m.step(.act([forget]), settled: true, now: clock.now).actions == [forget])
    }

    @Test mutating func theSameWaitIsLoggedAgainEvery10Seconds() {
        var m = machine()
        #expect(m.step(.wait("waiting for A"), settled: true, now: clock.now).lines == [.info("waiting for A")])
        clock.advance(9.9)
        #expect(m.step(.wait("waiting for A"), settled: true, now: clock.now).lines == [])
        #expect(m.step(.awaitFailover("waiting for B"), settled: true, now: clock.now).lines == [.info("waiting for B")])
        #expect(m.step(.wait("waiting for A"), settled: true, now: clock.now).lines == [.info("waiting for A")])
        clock.advance(10)
        #expect(m.step(.wait("waiting for A"), settled: true, now: clock.now).lines == [.info("waiting for A")])
    }

    @Test mutating func actingOrConvergingStartsTheProgressLinesAfresh() {
        var m = machine()
        _ = m.step(.wait("waiting for A"), settled: true, now: clock.now)
        _ = m.step(.act([meet]), settled: true, now: clock.now)
        #expect(m.step(.wait("waiting for A"), settled: true, now: clock.now).lines == [.info("waiting for A")])
    }

    @Test mutating func convergenceIsLoggedOncePerChange() {
        var m = machine()
        let converged = AgentStateMachine.Line.info("converged: rc-shard1-1 (shard 1 designated replica) in a healthy cluster")
        #expect(m.step(.converged, settled: true, now: clock.now).lines == [converged])
        #expect(m.step(.converged, settled: true, now: clock.now).lines == [])
        _ = m.step(.wait("a link down"), settled: true, now: clock.now)
        #expect(m.step(.converged, settled: true, now: clock.now).lines == [converged])
    }

    @Test mutating func refusalsAreLoggedEveryPass() {
        var m = machine()
        for _ in 0..<3 {
            #expect(m.step(.refuse("keys"), settled: true, now: clock.now).lines == [.error("refusing to act: keys")])
        }
    }

    @Test mutating func rejoinEndsConvergedRefusedOrAtItsDeadline() {
        let mode = AgentStateMachine.Mode.untilConverged(deadline: clock.now.adding(seconds: 60), waitSeconds: 60)
        var m = machine(mode)
        #expect(m.step(.act([meet]), settled: true, now: clock.now).next == .pause(seconds: 0.02))
        #expect(m.step(.wait("A"), settled: true, now: clock.now).next == .pause(seconds: 0.1))
        clock.advance(59.9)
        #expect(m.step(.awaitFailover("B"), settled: true, now: clock.now).next == .pause(seconds: 0.1))
        clock.advance(0.1)
        #expect(m.step(.wait("A"), settled: true, now: clock.now).next == .end(.timedOut("not converged after 60 s: A")))
        var converging = machine(mode)
        #expect(converging.step(.converged, settled: false, now: clock.now).next == .end(.converged))
        var refusing = machine(mode)
        #expect(refusing.step(.refuse("keys"), settled: true, now: clock.now).next == .end(.refused("keys")))
    }

    @Test func aSlowPassIsReported() {
        #expect(AgentStateMachine.slowPassWarning(seconds: 5) == nil)
        #expect(AgentStateMachine.slowPassWarning(seconds: 7.5)?.hasPrefix("one check of the cluster took 7 s") == true)
    }
}
