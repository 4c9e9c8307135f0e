
/// A window dataset: the id stream of the corpus (documents as runs of vocabulary ids)
/// plus the rule that turns it into examples. Examples are expanded on demand; the
/// `windows` artifact stores only this, unless materialised for inspection.
public struct WindowDataset: Sendable {
    public static let artifactKind = "windows"

    public let config: WindowConfig
    /// All documents' ids, concatenated.
    public let ids: [Int32]
    /// Length of each document in `ids`.
    public let documentLengths: [UInt32]

    public init(config: WindowConfig, ids: [Int32], documentLengths: [UInt32]) {
        self.config = config
        self.ids = ids
        self.documentLengths = documentLengths
    }

    /// Total number of examples (CBOW rows or skip-gram pairs).
    public var exampleCount: Int { documentLengths.reduce(0) { $0 + config.exampleCount(documentLength: Int($1)) } }

    /// Visits every example in order. CBOW: `inputs` are the context ids, `target` the
    /// centre. Skip-gram: `inputs` is the centre alone and `target` one context id.
    public func forEachExample(_ body: (_ inputs: UnsafeBufferPointer<Int32>, _ target: Int32) throws -> Void) rethrows {
        var contexts = [Int32](repeating: -1, count: config.contextWidth)
        try ids.withUnsafeBufferPointer { all in
            var start = 0
            for length in documentLengths {
                let document = UnsafeBufferPointer(rebasing: all[start..<(start + Int(length))])
                start += Int(length)
                try config.forEachCentre(document) { centre, left, right in
                    switch config.kind {
                    case .cbow:
                        var k = 0
                        for id in left { contexts[k] = id; k += 1 }
                        for id in right { contexts[k] = id; k += 1 }
                        try contexts.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[0..<k]), centre) }
                    case .skipgram:
                        try withUnsafePointer(to: centre) { c in
                            let one = UnsafeBufferPointer(start: c, count: 1)
                            for id in left { try body(one, id) }
                            for id in right { try body(one, id) }
                        }
                    }
                }
            }
        }
    }

    /// Materialised rows: CBOW `2·window` context ids (-1 padded) then the centre;
    /// skip-gram (centre, context). Row width is `materializedWidth`.
    public func materializedRows() -> [Int32] {
        var rows: [Int32] = []
        let width = materializedWidth
        rows.reserveCapacity(exampleCount * width)
        forEachExample { inputs, target in
            switch config.kind {
            case .cbow:
                rows.append(contentsOf: inputs)
                rows.append(contentsOf: repeatElement(-1, count: config.contextWidth - inputs.count))
                rows.append(target)
            case .skipgram:
                rows.append(inputs[0])
                rows.append(target)
            }
        }
        return rows
    }

    public var materializedWidth: Int { config.kind == .cbow ? config.contextWidth + 1 : 2 }
}
