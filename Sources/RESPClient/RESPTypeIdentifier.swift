/// The first byte of every RESP2 and RESP3 value.
public enum RESPTypeIdentifier: UInt8, Sendable {
    case simpleString = 0x2B  // +
    case simpleError = 0x2D  // -
    case integer = 0x3A  // :
    case bulkString = 0x24  // $
    case array = 0x2A  // *
    case null = 0x5F  // _
    case double = 0x2C  // ,
    case boolean = 0x23  // #
    case blobError = 0x21  // !
    case verbatimString = 0x3D  // =
    case bigNumber = 0x28  // (
    case map = 0x25  // %
    case set = 0x7E  // ~
    case attribute = 0x7C  // |
    case push = 0x3E  // >
}
