import NodeFinder
import Platform

/// Pod name to address, from DNS, remembered for a short while: a hundred agents asking for a
/// hundred names every pass would flood the cluster's DNS server for no gain.
final class AddressBook {
    private let resolver: Resolver
    private let lifetime: Double
    private var cache: [String: (result: Result<IPAddress, ResolveError>, until: Deadline)] = [:]

    init(resolver: Resolver, lifetime: Double = 1.0) {
        self.resolver = resolver
        self.lifetime = lifetime
    }

    /// The pod's current address, or why there is none.
    func address(of pod: PodIdentity) -> Result<IPAddress, ResolveError> {
        if let entry = cache[pod.host], !entry.until.hasPassed { return entry.result }
        let result = resolver.addresses(of: pod.host).flatMap { addresses -> Result<IPAddress, ResolveError> in
            guard let first = addresses.first else { return .failure(.notFound(name: pod.host)) }
            return .success(first)
        }
        cache[pod.host] = (result, .after(seconds: lifetime))
        return result
    }

    /// Forgets everything, so the next look-up asks DNS again.
    func forget() { cache.removeAll() }
}
