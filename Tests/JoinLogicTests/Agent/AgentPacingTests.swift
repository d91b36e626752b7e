import Declaration
import Platform
import Testing

@testable import JoinLogic

/// When the next pass of `run` and `sidecar` comes, and when a refusal ends them, by a fake clock.
@Suite struct AgentPacingTests {
    let f = Fixture()
    var clock = FakeClock()

    func machine(pods: Int = 6, interval: Double = 5) -> AgentStateMachine {
        AgentStateMachine(mode: .service, pod: f.pod(1, 1), podCount: pods, interval: interval, failoverTimeout: 60)
    }

    func pause(_ step: AgentStateMachine.Step) -> Double? {
        if case .pause(let seconds) = step.next { return seconds }
        return nil
    }

    @Test mutating func aRefusalBeforeTheFirstConvergenceEndsTheLoopAfter10Seconds() {
        var m = machine()
        #expect(m.step(.refuse("foreign"), settled: true, now: clock.now).next == .pause(seconds: 1))
        clock.advance(9.9)
        #expect(m.step(.refuse("foreign"), settled: true, now: clock.now).next == .pause(seconds: 1))
        clock.advance(0.1)
        #expect(m.step(.refuse("foreign"), settled: true, now: clock.now).next == .end(.refused("foreign")))
    }

    @Test mutating func aRefusalThatLapsesStartsTheGraceAgain() {
        var m = machine()
        _ = m.step(.refuse("foreign"), settled: true, now: clock.now)
        clock.advance(9)
        _ = m.step(.wait("A"), settled: true, now: clock.now)
        clock.advance(9)
        #expect(m.step(.refuse("foreign"), settled: true, now: clock.now).next == .pause(seconds: 1))
    }

    @Test mutating func aRefusalAfterConvergingNeverEndsTheLoop() {
        var m = machine()
        _ = m.step(.converged, settled: true, now: clock.now)
        for _ in 0..<5 {
            clock.advance(30)
            #expect(m.step(.refuse("keys"), settled: true, now: clock.now).next == .pause(seconds: 5))
        }
    }

    @Test mutating func waitsSlowDownFrom0_1To0_3SecondsAndActingResetsThem() {
        var m = machine()
        let paces = (0..<12).compactMap { _ in pause(m.step(.wait("A"), settled: true, now: clock.now)) }
        #expect(paces.first! > 0.1 && paces.first! < 0.13)
        #expect(paces == paces.sorted())
        #expect(paces.last == 0.3)
        #expect(m.step(.act([]), settled: true, now: clock.now).next == .pause(seconds: 0.02))
        #expect(pause(m.step(.awaitFailover("B"), settled: true, now: clock.now)) == paces.first)
    }

    @Test mutating func aSettledConvergedNodeIsLookedAtEveryInterval() {
        var m = machine()
        #expect(m.step(.converged, settled: true, now: clock.now).next == .pause(seconds: 5))
    }

    @Test mutating func anUnsettledNodeKeepsAWaitsPaceFor10SecondsAfterItFirstConverged() {
        var m = machine(pods: 6)
        let first = pause(m.step(.converged, settled: false, now: clock.now))!
        #expect(first > 0.1 && first < 0.13)
        clock.advance(9.9)
        #expect(pause(m.step(.converged, settled: false, now: clock.now))! < 0.3)
        clock.advance(0.1)
        #expect(m.step(.converged, settled: false, now: clock.now).next == .pause(seconds: 5))
    }

    @Test mutating func theUnsettledPaceGrowsWithTheClusterUpToTheInterval() {
        var hundred = machine(pods: 100)
        #expect(hundred.step(.converged, settled: false, now: clock.now).next == .pause(seconds: 1))
        var small = machine(pods: 1000, interval: 2)
        #expect(small.step(.converged, settled: false, now: clock.now).next == .pause(seconds: 2))
    }

    @Test mutating func laterUnsettledPassesKeepTheIntervalPastTheWindow() {
        var m = machine()
        _ = m.step(.converged, settled: true, now: clock.now)
        clock.advance(60)
        _ = m.step(.wait("a restarted peer"), settled: true, now: clock.now)
        #expect(m.step(.converged, settled: false, now: clock.now).next == .pause(seconds: 5))
    }
}
