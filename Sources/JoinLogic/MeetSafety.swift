import Declaration

/// The rule that keeps the agent from merging two clusters (redis/redis#6174): a MEET may only
/// grow one cluster. It is allowed when
/// 1. either side knows nobody else (a fresh or wiped node joins), or
/// 2. the two sides already share a node (they are one cluster, possibly with a stale link), or
/// 3. both sides are fragments made only of our own pods and no slot is served on both sides
///    (the pieces of our own bootstrap, which the creator and replicas meet up in any order).
public enum MeetSafety {
    /// nil when the MEET is safe; otherwise why it is not.
    public static func problem(local: NodeView, remote: NodeView?, matcher: PodMatcher) -> String? {
        // Never with a node of another cluster, whichever side it is on, even for a fresh node: a volume
        // holding another cluster's nodes.conf serves that cluster's slots under that cluster's names
        // (found by the proving ground once MEETs went to where the peer answers, not to the address
        // its foreign nodes.conf gives).
        for node in local.others + (remote?.nodes ?? []) {
            if case .foreign(let hostname) = matcher.identify(node) {
                return "node \(node.id.prefix(8)) (\(hostname)) belongs to another cluster"
            }
        }
        if local.isAlone || remote?.isAlone == true { return nil }
        guard let remote else { return "the peer's own view of the cluster could not be read" }
        let localIDs = Set(local.nodes.map(\.id))
        if remote.nodes.contains(where: { localIDs.contains($0.id) }) { return nil }
        let localSlots = local.nodes.flatMap(\.slots)
        for range in remote.nodes.flatMap(\.slots) where localSlots.contains(where: { $0.overlaps(range) }) {
            return "both sides serve slots in \(range): they are two different clusters"
        }
        return nil
    }
}
