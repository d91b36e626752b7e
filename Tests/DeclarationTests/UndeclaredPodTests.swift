import Testing

@testable import Declaration

@Suite struct UndeclaredPodTests {
    static func topology(_ layout: Layout) -> Topology {
        try! Topology(
            layout: layout, name: "rc", service: nil, namespace: "demo", clusterDomain: "cluster.local", shards: 3, replicas: 1,
            port: 6379, peers: layout == .static ? ["a", "b", "c", "d", "e", "f"] : [])
    }

    @Test func namesOfTheSameStatefulSetsBeyondTheDeclaration() {
        let shards = Self.topology(.shards)
        #expect(shards.isUndeclaredPodName("rc-shard3-0"))
        #expect(shards.isUndeclaredPodName("rc-shard0-2"))
        #expect(!shards.isUndeclaredPodName("rc-shard0-1"))  // declared
        #expect(!shards.isUndeclaredPodName("rc-shard03-0"))  // not a name a StatefulSet gives
        #expect(!shards.isUndeclaredPodName("rcx-shard3-0"))
        #expect(!shards.isUndeclaredPodName("rc-shard3"))
        let ordinal = Self.topology(.ordinal)
        #expect(ordinal.isUndeclaredPodName("rc-6"))
        #expect(!ordinal.isUndeclaredPodName("rc-5"))
        #expect(!ordinal.isUndeclaredPodName("rc-shard0-0"))
        #expect(!Self.topology(.static).isUndeclaredPodName("g"))
    }

    @Test func hostnamesUnderTheDeclaredServiceOnly() {
        let shards = Self.topology(.shards)
        #expect(shards.undeclaredPodName(withHost: "rc-shard3-0.rc.demo.svc.cluster.local") == "rc-shard3-0")
        #expect(shards.undeclaredPodName(withHost: "RC-SHARD3-0.rc.demo.svc.cluster.local.") == "rc-shard3-0")
        #expect(shards.undeclaredPodName(withHost: "rc-shard3-0.rc.prod.svc.cluster.local") == nil)  // another namespace
        #expect(shards.undeclaredPodName(withHost: "rc-shard0-0.rc.demo.svc.cluster.local") == nil)  // declared
        #expect(shards.undeclaredPodName(withHost: "x.rc-shard3-0.rc.demo.svc.cluster.local") == nil)
        #expect(Self.topology(.static).undeclaredPodName(withHost: "g.rc.demo.svc.cluster.local") == nil)
    }
}
