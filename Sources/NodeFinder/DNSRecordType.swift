/// The record types the resolver asks for or follows.
public enum DNSRecordType: UInt16, Sendable {
    case a = 1
    case cname = 5
    case aaaa = 28
    case srv = 33
}
