import Declaration
import Testing

@testable import JoinLogic

/// `ForeignCluster`, as `init` applies it to a nodes.conf's hostnames before the server starts.
@Suite struct ForeignClusterTests {
    let f = Fixture()

    @Test func hostnamesOfAnotherClusterOnlyAreRefused() {
        let identities = ForeignCluster.identities(ofHostnames: ["cache-0.cache.prod.svc.cluster.local"], in: f.topology)
        let refusal = ForeignCluster.refusal(identities, source: "/data/nodes.conf", fix: "move it aside.")
        #expect(refusal?.hasPrefix("/data/nodes.conf belongs to another cluster: it names cache-0.cache.prod.svc.cluster.local") == true)
        #expect(refusal?.hasSuffix("If the volume was reused by mistake, move it aside.") == true)
    }

    @Test func oneOfOurPodsAmongStrangersIsNotRefused() {
        let hostnames = ["cache-0.cache.prod.svc.cluster.local", f.pod(1, 0).host]
        let identities = ForeignCluster.identities(ofHostnames: hostnames, in: f.topology)
        #expect(ForeignCluster.refusal(identities, source: "x", fix: "y") == nil)
    }

    @Test func aFileWithoutHostnamesIsNotRefused() {
        #expect(ForeignCluster.refusal([], source: "x", fix: "y") == nil)
        #expect(ForeignCluster.refusal([.unknown, .unknown], source: "x", fix: "y") == nil)
    }
}
