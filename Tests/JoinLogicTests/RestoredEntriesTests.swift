import Declaration
import Platform
import Testing

@testable import JoinLogic

/// Which entries a restarted node brought back, and when DNS has confirmed each.
@Suite struct RestoredEntriesTests {
    let f = Fixture()
    var me: PodIdentity { f.pod(0, 1) }

    @Test func aNodeThatStartsEmptyRestoresNothing() {
        var restored = RestoredEntries()
        restored.record(f.virgin(me, local: true))
        // Entries it learns later (joining, by gossip) are not restored ones.
        restored.record(f.view(me, f.formedLines(myself: me), ok: true, local: true))
        #expect(restored.unconfirmed.isEmpty)
    }

    @Test func theFirstReadIsRecordedWithoutItselfOrHandshakes() {
        var restored = RestoredEntries()
        let handshake = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb 198.18.9.9:6379@16379 handshake - 0 0 0 disconnected"
        restored.record(f.view(me, f.formedLines(myself: me) + [handshake], ok: true, local: true))
        let others = f.topology.pods.filter { $0 != me }.map { f.id($0) }
        #expect(restored.unconfirmed == Set(others))
    }

    /// Listed where the pod's name points: confirmed. Elsewhere, without an address, or not resolved
    /// this pass: kept. Gone from the local node, or nothing names it: dropped.
    @Test func anEntryIsConfirmedByItsNamesAddress() {
        var restored = RestoredEntries()
        let master2 = f.pod(2, 0), replica2 = f.pod(2, 1), master1 = f.pod(1, 0), replica1 = f.pod(1, 1)
        restored.record(f.view(me, f.formedLines(myself: me), ok: true, local: true))
        let lines = f.formedLines(myself: me).compactMap { line -> String? in
            if line.hasPrefix(f.id(master1)) { return nil }  // forgotten
            if line.hasPrefix(f.id(replica1)) { return f.line(replica1, role: "replica", master: master1, hostname: nil) }
            if line.hasPrefix(f.id(replica2)) { return f.line(replica2, role: "replica", master: master2, extraFlags: "noaddr") }
            return line
        }
        var observation = f.observation(me, local: f.view(me, lines, local: true), moved: [master2: "198.18.9.1"])
        restored.confirm(observation, topology: f.topology)
        #expect(restored.unconfirmed == [f.id(master2), f.id(replica2)])
        // Once the repair has met shard 2's master at its new address, the local node lists it there.
        let met = lines.map {
            $0.hasPrefix(f.id(master2)) ? f.line(master2, epoch: 3, slots: [SlotRange(10923, 16383)], at: "198.18.9.1") : $0
        }
        var addresses = observation.addresses
        addresses[replica2.name] = nil  // its name did not resolve this pass
        observation = Observation(me: me, local: f.view(me, met, local: true), peers: [:], addresses: addresses)
        restored.confirm(observation, topology: f.topology)
        #expect(restored.unconfirmed == [f.id(replica2)])
    }
}
