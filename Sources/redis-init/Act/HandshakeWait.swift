import JoinLogic
import Platform
import RESPClient

/// The moment between a MEET and the REPLICATE that follows it in the same pass: Redis finishes the
/// handshake on its own bus, usually within a cron tick (0.1 s), and `CLUSTER REPLICATE` of a node it
/// does not know yet fails. Waiting here, on the local node alone, saves the replica a whole pass (at
/// 50x1, where a pass reads busy peers, a median 2 s).
enum HandshakeWait {
    /// Why the REPLICATE was not sent: the handshake had not finished in time. The next pass looks again.
    struct NotFinished: Error, CustomStringConvertible {
        let master: String
        let seconds: Double
        var description: String { "the handshake with \(master) had not finished after \(seconds) s" }
    }

    /// Returns once the node on `connection` lists `masterID` usable (known, no handshake, not failing).
    static func untilKnown(_ masterID: String, master: String, on connection: RedisConnection, seconds: Double = 2) throws {
        let deadline = Deadline.after(seconds: seconds)
        while true {
            let text = try connection.text("CLUSTER", "NODES")
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix(masterID) }),
                try ClusterNode.parse(line: String(line)).isUsable
            {
                return
            }
            if deadline.hasPassed { throw NotFinished(master: master, seconds: seconds) }
            sleep(seconds: 0.025)
        }
    }
}
