import Declaration
import NodeFinder
import Platform
import RESPClient

/// Peers that answered with something that is not Redis, or not in time, are named in the log with
/// what they sent and left alone for a while (1 s, doubling to 16 s), so one bad peer costs a pass its
/// deadline once, not on every pass, and the agent carries on with the healthy ones. A peer that is
/// merely absent (connection refused, no route) is not held: pods restart, and their return should be
/// seen at once.
final class PeerQuarantine {
    private struct Hold {
        var reason: String
        var strikes: Int
        var until: Deadline
    }

    private var holds: [Endpoint: Hold] = [:]
    private let log: Log
    private static let firstHoldSeconds = 1.0
    private static let longestHoldSeconds = 16.0

    init(log: Log) {
        self.log = log
    }

    /// Why `endpoint` is not to be asked this pass, or nil.
    func reasonToSkip(_ endpoint: Endpoint) -> String? {
        guard let hold = holds[endpoint], !hold.until.hasPassed else { return nil }
        return "\(hold.reason) (not asked again until its hold ends)"
    }

    /// Records how a read of `pod` at `endpoint` ended.
    func record(_ pod: PodIdentity, at endpoint: Endpoint, error: (any Error)?) {
        guard let error else {
            if holds.removeValue(forKey: endpoint) != nil { log.info("\(pod.name) at \(endpoint) answers like Redis again") }
            return
        }
        guard let misbehaviour = PeerQuarantine.misbehaviour(in: error) else { return }
        let strikes = (holds[endpoint]?.strikes ?? 0) + 1
        let seconds = min(PeerQuarantine.firstHoldSeconds * Double(1 << min(strikes - 1, 8)), PeerQuarantine.longestHoldSeconds)
        holds[endpoint] = Hold(reason: misbehaviour.description, strikes: strikes, until: .after(seconds: seconds))
        log.warning("gave up on \(pod.name) for now: \(misbehaviour); not asking it again for \(Int(seconds)) s")
    }

    private static func misbehaviour(in error: any Error) -> RedisClientError? {
        let client: RedisClientError? =
            switch error {
            case let error as RedisClientError: error
            case NodeReader.ReadError.client(let error): error
            default: nil
            }
        guard let client, client.isMisbehaviour else { return nil }
        return client
    }
}
