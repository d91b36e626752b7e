import Platform

/// A handover over time: it sends the failover `Handover` decides, sends it again when Redis has given
/// the last one up (`CLUSTER_MF_TIMEOUT`, 5 s), and ends when the node serves no slots, when there is no
/// heir to begin with, or at `--handover-timeout`. It reads no clock; tests drive it with a fake one.
///
/// | decision | a failover sent | then |
/// |---|---|---|
/// | serves no slots | no / yes | end: nothing to hand over / handed over |
/// | no heir | no / yes | end: no heir, stop as it is / look again (the heir is being elected) |
/// | a replica still syncing | - | look again |
/// | hand over | not within 5 s / within 5 s | send it / look again |
/// | any | past the timeout | end: gave up |
public struct HandoverStateMachine: Sendable {
    /// How a handover ended.
    public enum Ending: Equatable, Sendable {
        /// The heir serves the slots; the text says who and how long it took.
        case handedOver(String)
        /// The node served no slots: nothing to do.
        case nothingToHandOver(String)
        /// The node serves slots and no replica could take them: stop as it is.
        case noHeir(String)
        /// The timeout passed with the node still serving slots.
        case gaveUp(String)

        /// Whether the server may stop without its shard waiting for an election.
        public var isClean: Bool {
            switch self {
            case .handedOver, .nothingToHandOver: return true
            case .noHeir, .gaveUp: return false
            }
        }
    }

    /// What to do after a look at the local node.
    public enum Next: Equatable, Sendable {
        /// Send this failover, then look again.
        case send(Action)
        /// Look again after this long.
        case pause(seconds: Double)
        case end(Ending)
    }

    /// Redis gives a manual failover up after this long (`CLUSTER_MF_TIMEOUT`).
    public static let retrySeconds = 5.0
    /// How often the local node is looked at while the handover runs.
    public static let pollSeconds = 0.05

    let started: Deadline
    let timeout: Double
    /// What the failover sent said it would do, and when it was sent.
    private var sent: (what: String, at: Deadline)? = nil

    /// A handover that began at `started` and may take `timeout` seconds.
    public init(started: Deadline, timeout: Double) {
        self.started = started
        self.timeout = timeout
    }

    /// What to do, given what `Handover` decided at `now`.
    public mutating func step(_ decision: Handover.Decision, now: Deadline) -> Next {
        let elapsed = now.seconds(since: started)
        switch decision {
        case .servesNoSlots(let what):
            guard let sent else { return .end(.nothingToHandOver(what)) }
            return .end(.handedOver("\(sent.what) in \((elapsed * 10).rounded() / 10) s"))
        case .noHeir(let reason) where elapsed >= timeout, .awaitHeir(let reason) where elapsed >= timeout:
            return .end(.gaveUp(Self.gaveUp(timeout, reason)))
        case .handOver(let action) where elapsed >= timeout:
            return .end(.gaveUp(Self.gaveUp(timeout, "\(action.target) had not taken over")))
        case .noHeir(let reason):
            return sent == nil ? .end(.noHeir(reason)) : .pause(seconds: Self.pollSeconds)
        case .awaitHeir:
            return .pause(seconds: Self.pollSeconds)
        case .handOver(let action):
            if let sent, now < sent.at.adding(seconds: Self.retrySeconds) { return .pause(seconds: Self.pollSeconds) }
            var what = "the slots"
            if case .failover(_, let shard, _) = action { what = "shard \(shard)" }
            sent = ("\(what) handed over to \(action.target)", now)
            return .send(action)
        }
    }

    private static func gaveUp(_ timeout: Double, _ why: String) -> String {
        "no handover within \(format(timeout)) s (--handover-timeout): \(why); stopping as it is"
    }

    private static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}
