import Declaration
import Testing

@testable import JoinLogic

/// A node's picture is settled only when nothing about the cluster is still arriving: the agent of a
/// converged node with a picture not yet settled keeps looking at the wait's pace.
@Suite struct SettledTests {
    let f = Fixture()
    var planner: Planner { Planner(topology: f.topology) }
    var me: PodIdentity { f.pod(1, 1) }
    var master2: PodIdentity { f.pod(2, 0) }
    var replica2: PodIdentity { f.pod(2, 1) }

    /// `formed` with the line of `pod` replaced (or dropped, for nil).
    private func view(replacing pod: PodIdentity, with line: String?, adding extra: [String] = []) -> NodeView {
        let lines = f.formedLines(myself: me).compactMap { $0.hasPrefix(f.id(pod)) ? line : $0 } + extra
        return f.view(me, lines, ok: true, local: true)
    }

    @Test func aFormedClusterIsSettled() {
        #expect(planner.isSettled(f.view(me, f.formedLines(myself: me), ok: true, local: true)))
    }

    /// Each way a member may still be arriving, one at a time.
    @Test func whatIsNotSettled() {
        let slots = [f.topology.slots(ofShard: 2)]
        let unsettled: [(String, NodeView)] = [
            ("a pod not known yet", view(replacing: replica2, with: nil)),
            (
                "a handshake under way",
                view(
                    replacing: replica2, with: f.line(replica2, role: "replica", master: master2),
                    adding: ["bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb 198.18.0.9:6379@16379 handshake - 0 0 0 connected"])
            ),
            ("a link down", view(replacing: master2, with: f.line(master2, epoch: 3, slots: slots, linkDown: true))),
            ("a member suspected failing", view(replacing: master2, with: f.line(master2, epoch: 3, slots: slots, extraFlags: "fail?"))),
            ("a member failed", view(replacing: master2, with: f.line(master2, epoch: 3, slots: slots, extraFlags: "fail"))),
            ("a member without an address", view(replacing: master2, with: f.line(master2, epoch: 3, slots: slots, extraFlags: "noaddr"))),
            ("a replica without its master", view(replacing: replica2, with: f.line(replica2, role: "replica"))),
            ("a master without its slots", view(replacing: master2, with: f.line(master2, epoch: 3))),
        ]
        for (what, local) in unsettled {
            #expect(!planner.isSettled(local), "\(what)")
        }
    }
}
