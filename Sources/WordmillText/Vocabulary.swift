/// A token ↔ id table with corpus counts; ids are row numbers in every model.
public struct Vocabulary: Sendable, Equatable {
    public let tokens: [String]
    public let counts: [Int]
    /// How many leading entries are specials such as `<pad>` and `<unk>`.
    public let specialCount: Int
    /// Documents holding each token, when the vocabulary was counted by document (else empty).
    public let documentCounts: [Int]
    private let firstIds: [Int32]
    private let index: TokenTable

    public init(tokens: [String], counts: [Int], specialCount: Int = 0, documentCounts: [Int] = []) {
        precondition(tokens.count == counts.count && (documentCounts.isEmpty || documentCounts.count == tokens.count))
        self.tokens = tokens
        self.counts = counts
        self.specialCount = specialCount
        self.documentCounts = documentCounts
        var index = TokenTable(capacity: tokens.count)
        var ids: [Int32] = []  // table id → first vocabulary id with that token
        ids.reserveCapacity(tokens.count)
        for (i, t) in tokens.enumerated() where index.insert(t).inserted { ids.append(Int32(i)) }
        self.index = index
        self.firstIds = ids
    }

    public var count: Int { tokens.count }

    /// The id of `token`, or nil when it is not in the vocabulary.
    @inline(__always)
    public func id(of token: String) -> Int32? { index.find(token).map { firstIds[Int($0)] } }

    /// The id of a token given as UTF-8 bytes.
    @inline(__always)
    public func id(of token: UnsafeRawBufferPointer) -> Int32? {
        guard let id = index.find(token) else { return nil }
        return firstIds.count == tokens.count ? id : firstIds[Int(id)]  // no duplicate tokens: table ids are vocabulary ids
    }

    public static func == (a: Vocabulary, b: Vocabulary) -> Bool {
        a.tokens == b.tokens && a.counts == b.counts && a.specialCount == b.specialCount
    }
}
