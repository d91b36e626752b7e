import Declaration
import Platform

/// Everything the agent decides over time, as a value: given the planner's decision for one pass and
/// the time, what the pass does (the decision after the timing rules), what it logs, and when the next
/// pass comes or why the loop ends. It reads no clock; tests drive it with a fake one.
///
/// The rules, in the order they apply (docs/DESIGN.md, "The agent over time"):
///
/// | rule | when | then |
/// |---|---|---|
/// | failover bound | a wait for a failover has lasted `failoverTimeout` | a refusal instead |
/// | repeat suppression | the same actions as the last ones, less than 2 s ago | a wait for them to take effect |
/// | progress throttling | the same wait text as the last line, less than 10 s ago | no line |
/// | refusal grace (service) | a refusal before the node ever converged has stood 10 s | end, refused |
/// | pacing (service) | act / wait / converged but unsettled / otherwise | 0.02 s / 0.1-0.3 s / see `pause` / `interval` |
/// | deadline (rejoin) | converged / refused / a wait past the deadline | end converged / refused / timed out |
public struct AgentStateMachine: Sendable {
    /// How long the agent goes on.
    public enum Mode: Equatable, Sendable {
        /// `run` and `sidecar`: pass after pass for good, ended only by a refusal before the node joined.
        case service
        /// `rejoin`: until converged or refused, or a wait still going at `deadline` (`--wait`).
        case untilConverged(deadline: Deadline, waitSeconds: Double)
    }

    /// Why the loop ends.
    public enum Ending: Equatable, Sendable {
        /// `rejoin`: the local node serves its place in a healthy cluster.
        case converged
        /// A refusal: the text names the problem and the fix.
        case refused(String)
        /// `rejoin`'s deadline passed; the text is the line to log.
        case timedOut(String)
    }

    /// What the loop does after a pass.
    public enum Next: Equatable, Sendable {
        /// Pass again after this long.
        case pause(seconds: Double)
        /// Stop passing.
        case end(Ending)
    }

    /// One line for the log.
    public enum Line: Equatable, Sendable {
        /// Progress.
        case info(String)
        /// Something that may need a look.
        case warning(String)
        /// A refusal.
        case error(String)
    }

    /// What one pass does.
    public struct Step: Equatable, Sendable {
        /// The planner's decision after the timing rules: its actions are the ones to perform.
        public let decision: Decision
        /// Progress lines to log before acting.
        public let lines: [Line]
        /// Once the actions are performed.
        public let next: Next

        /// The actions to perform, in order.
        public var actions: [Action] {
            if case .act(let actions) = decision { return actions }
            return []
        }
    }

    /// Seconds during which the same actions are not sent again: Redis needs a moment to show their
    /// effect (a handshake, an election), and repeating them only gets in its way.
    public static let settleSeconds = 2.0
    /// How long a refusal must stand, before the node ever converged, for `run` to stop with it.
    public static let refusalGraceSeconds = 10.0
    /// How long after its first convergence the agent keeps a wait's pace while its node's picture is
    /// not complete (`Planner.isSettled`); after that (a pod gone for good) every `interval`.
    public static let unsettledWindowSeconds = 10.0
    /// How often the same wait text is logged again.
    public static let progressRepeatSeconds = 10.0
    /// A pass slower than this is reported.
    public static let slowPassSeconds = 5.0

    let mode: Mode
    let pod: PodIdentity
    let podCount: Int
    let interval: Double
    let failoverTimeout: Double

    private var awaitingFailoverSince: Deadline? = nil
    private var settling: (actions: [Action], until: Deadline)? = nil
    private var lastProgress: (text: String, at: Deadline)? = nil
    private var lastDecision: Decision? = nil
    private var refusingSince: Deadline? = nil
    private var firstConverged: Deadline? = nil
    private var waits = 0

    /// A machine for the agent of `pod` in a cluster of `podCount` pods.
    public init(mode: Mode, pod: PodIdentity, podCount: Int, interval: Double, failoverTimeout: Double) {
        self.mode = mode
        self.pod = pod
        self.podCount = podCount
        self.interval = interval
        self.failoverTimeout = failoverTimeout
    }

    /// The step for a pass whose planner said `planned` at `now`; `settled` is `Planner.isSettled` of
    /// the local node (true when it was not seen).
    public mutating func step(_ planned: Decision, settled: Bool, now: Deadline) -> Step {
        let decision = applyTiming(to: planned, now: now)
        let lines = report(decision, now: now)
        return Step(decision: decision, lines: lines, next: next(after: decision, settled: settled, now: now))
    }

    /// A warning for a pass that took `seconds`, or nil.
    public static func slowPassWarning(seconds: Double) -> String? {
        guard seconds > slowPassSeconds else { return nil }
        return "one check of the cluster took \(Int(seconds)) s: DNS or peers are slow to answer (see the lines above)"
    }

    /// Seconds between the checks of a wait that has gone on for `waits` checks: 0.1 s rising to 0.3 s,
    /// so a hundred agents whose servers converge on their own leave the CPU to the servers.
    public static func waitPace(_ waits: Int) -> Double { min(0.1 + 0.02 * Double(waits), 0.3) }

    /// The failover bound and the repeat suppression.
    private mutating func applyTiming(to planned: Decision, now: Deadline) -> Decision {
        var decision = planned
        if case .awaitFailover(let reason) = planned {
            let since = awaitingFailoverSince ?? now
            awaitingFailoverSince = since
            if now.seconds(since: since) >= failoverTimeout { decision = .refuse(Self.noFailover(reason, failoverTimeout)) }
        } else {
            awaitingFailoverSince = nil
        }
        guard case .act(let actions) = decision else { return decision }
        if let settling, settling.actions == actions, now < settling.until {
            return .wait("waiting for \(actions.map(\.description).joined(separator: ", ")) to take effect")
        }
        settling = (actions, now.adding(seconds: Self.settleSeconds))
        return decision
    }

    /// Progress lines: each new wait text at once, the same one again every 10 s; refusals every pass;
    /// convergence once per change.
    private mutating func report(_ decision: Decision, now: Deadline) -> [Line] {
        defer { lastDecision = decision }
        switch decision {
        case .wait(let text), .awaitFailover(let text):
            if let last = lastProgress, last.text == text, now < last.at.adding(seconds: Self.progressRepeatSeconds) { return [] }
            lastProgress = (text, now)
            return [.info(text)]
        case .refuse(let text):
            return [.error("refusing to act: \(text)")]
        case .converged:
            lastProgress = nil
            guard lastDecision != .converged else { return [] }
            let role = pod.isDesignatedMaster ? "designated master" : "designated replica"
            return [.info("converged: \(pod.name) (shard \(pod.shard) \(role)) in a healthy cluster")]
        case .act:
            lastProgress = nil
            return []
        }
    }

    private mutating func next(after decision: Decision, settled: Bool, now: Deadline) -> Next {
        switch mode {
        case .untilConverged(let deadline, let waitSeconds):
            switch decision {
            case .converged: return .end(.converged)
            case .refuse(let reason): return .end(.refused(reason))
            case .act: return .pause(seconds: 0.02)
            case .wait(let reason), .awaitFailover(let reason):
                if now >= deadline { return .end(.timedOut("not converged after \(Int(waitSeconds)) s: \(reason)")) }
                return .pause(seconds: 0.1)
            }
        case .service:
            return nextInService(after: decision, settled: settled, now: now)
        }
    }

    private mutating func nextInService(after decision: Decision, settled: Bool, now: Deadline) -> Next {
        if decision == .converged { firstConverged = firstConverged ?? now }
        if case .refuse(let reason) = decision, firstConverged == nil {
            // Only a refusal that stands for a while ends the pod: nothing seen for a moment should.
            let since = refusingSince ?? now
            refusingSince = since
            if now.seconds(since: since) >= Self.refusalGraceSeconds { return .end(.refused(reason)) }
            return .pause(seconds: 1)
        }
        refusingSince = nil
        switch decision {
        case .act:
            waits = 0
            return .pause(seconds: 0.02)
        case .wait, .awaitFailover:
            waits += 1
            return .pause(seconds: Self.waitPace(waits))
        case .converged where !settled && now < firstConverged!.adding(seconds: Self.unsettledWindowSeconds):
            // Still learning the cluster, and only this agent makes its last introductions: a wait's
            // pace, but about 100 such passes a second for the whole cluster at most (docs/DESIGN.md).
            waits += 1
            let pace = max(Self.waitPace(waits), 0.01 * Double(podCount))
            return .pause(seconds: min(pace, interval))
        case .converged, .refuse:
            waits = 0
            return .pause(seconds: interval)
        }
    }

    private static func noFailover(_ reason: String, _ timeout: Double) -> String {
        "no failover within \(Int(timeout)) s (--failover-timeout): \(reason). No replica of the "
            + "shard took over: check them with 'redis-cli cluster nodes' (a replica too long disconnected is not "
            + "promoted, see cluster-replica-validity-factor). This node holds no data; restarting it retries."
    }
}
