/// A token ↔ id table with corpus counts; ids are row numbers in every model.
public struct Vocabulary: Sendable, Equatable {
    public let tokens: [String]
    public let counts: [Int]
    /// How many leading entries are specials such as `<pad>` and `<unk>`.
    public let specialCount: Int
    private let index: [String: Int32]

    public init(tokens: [String], counts: [Int], specialCount: Int = 0) {
        precondition(tokens.count == counts.count)
        self.tokens = tokens
        self.counts = counts
        self.specialCount = specialCount
        var index: [String: Int32] = [:]
        index.reserveCapacity(tokens.count)
        for (i, t) in tokens.enumerated() where index[t] == nil { index[t] = Int32(i) }
        self.index = index
    }

    public var count: Int { tokens.count }

    /// The id of `token`, or nil when it is not in the vocabulary.
    @inline(__always)
    public func id(of token: String) -> Int32? { index[token] }

    /// The id of a token given as UTF-8 bytes.
    @inline(__always)
    public func id(of token: UnsafeRawBufferPointer) -> Int32? { index[String(decoding: token, as: UTF8.self)] }

    public static func == (a: Vocabulary, b: Vocabulary) -> Bool {
        a.tokens == b.tokens && a.counts == b.counts && a.specialCount == b.specialCount
    }
}
