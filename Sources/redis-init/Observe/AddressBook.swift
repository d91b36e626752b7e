import Declaration
import NodeFinder
import Platform

/// Pod name to address, from DNS, remembered for a while: a hundred agents asking for a hundred names
/// every pass would flood the cluster's DNS server (at 50x1 that was 10,000 queries a second on a
/// 2-core machine, slowing the very cluster being formed). An address is kept for 5 s, or until a
/// connection to it fails (`forget`), so a pod that moved is looked up again on the next pass; a name
/// that did not resolve is asked again after 1 s, since pods appear in DNS while a cluster forms. When
/// the servers stop answering, the other names of the pass get that answer at once instead of each
/// waiting it out. DNS trouble is reported when it starts, every 10 s while it lasts, and when it ends.
final class AddressBook {
    private let resolver: Resolver
    private let addressLifetime: Double
    private let failureLifetime: Double
    private var cache: [String: (result: Result<IPAddress, ResolveError>, until: Deadline)] = [:]
    private var serversSilent: (error: ResolveError, until: Deadline)? = nil
    private let log: Log
    /// When DNS trouble was last reported, while it lasts.
    private var troubleReported: Deadline? = nil

    init(resolver: Resolver, log: Log, addressLifetime: Double = 5.0, failureLifetime: Double = 1.0) {
        self.resolver = resolver
        self.log = log
        self.addressLifetime = addressLifetime
        self.failureLifetime = failureLifetime
    }

    /// The pod's current address, or why there is none.
    func address(of pod: PodIdentity) -> Result<IPAddress, ResolveError> {
        if let entry = cache[pod.host], !entry.until.hasPassed { return entry.result }
        if let silent = serversSilent, !silent.until.hasPassed { return .failure(silent.error) }
        let result = resolver.addresses(of: pod.lookupName).flatMap { addresses -> Result<IPAddress, ResolveError> in
            guard let first = addresses.first else { return .failure(.notFound(name: pod.host)) }
            return .success(first)
        }
        let lifetime = if case .success = result { addressLifetime } else { failureLifetime }
        cache[pod.host] = (result, .after(seconds: lifetime))
        if case .failure(let error) = result, case .serverFailure = error {
            serversSilent = (error, .after(seconds: failureLifetime))
            if troubleReported.map({ Deadline.now().seconds(since: $0) >= 10 }) ?? true {
                log.warning("DNS gives no answer: \(error); asking again in \(Int(failureLifetime)) s")
                troubleReported = .now()
            }
        } else if troubleReported != nil {
            log.info("DNS answers again")
            troubleReported = nil
        }
        return result
    }

    /// Drops what is remembered for `pod`: its address did not answer, so it may have moved.
    func forget(_ pod: PodIdentity) {
        cache[pod.host] = nil
    }
}
