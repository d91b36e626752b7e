import NodeFinder
import Platform

/// Pod name to address, from DNS, remembered for a short while: a hundred agents asking for a
/// hundred names every pass would flood the cluster's DNS server for no gain. When the servers stop
/// answering, the other names of the pass get that answer at once instead of each waiting it out.
final class AddressBook {
    private let resolver: Resolver
    private let lifetime: Double
    private var cache: [String: (result: Result<IPAddress, ResolveError>, until: Deadline)] = [:]
    private var serversSilent: (error: ResolveError, until: Deadline)? = nil

    init(resolver: Resolver, lifetime: Double = 1.0) {
        self.resolver = resolver
        self.lifetime = lifetime
    }

    /// The pod's current address, or why there is none.
    func address(of pod: PodIdentity) -> Result<IPAddress, ResolveError> {
        if let entry = cache[pod.host], !entry.until.hasPassed { return entry.result }
        if let silent = serversSilent, !silent.until.hasPassed { return .failure(silent.error) }
        let result = resolver.addresses(of: pod.host).flatMap { addresses -> Result<IPAddress, ResolveError> in
            guard let first = addresses.first else { return .failure(.notFound(name: pod.host)) }
            return .success(first)
        }
        cache[pod.host] = (result, .after(seconds: lifetime))
        if case .failure(let error) = result, case .serverFailure = error {
            serversSilent = (error, .after(seconds: lifetime))
        }
        return result
    }
}
