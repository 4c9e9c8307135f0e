import WordmillText

/// One sparse row of a document-term matrix: feature ids ascending and their values.
public struct SparseRow: Sendable, Equatable {
    public var indices: [Int32] = []
    public var values: [Double] = []
    public init(indices: [Int32] = [], values: [Double] = []) {
        self.indices = indices
        self.values = values
    }
    public var count: Int { indices.count }
}

/// Turns a document's tokens into a sparse row over a fixed feature list: unigrams and
/// word n-grams (tokens joined by one space, as scikit-learn names them), counted, made
/// binary, or tf-idf weighted and l2-normalised (scikit-learn's `TfidfTransformer` with
/// `smooth_idf`). Used to build the dataset and, identically, by `predict`.
public struct BagOfWordsFeaturizer: Sendable {
    /// Feature names in id order.
    public let features: [String]
    /// The n of each feature's n-gram.
    public let ngramLengths: [UInt8]
    public let ngramRange: ClosedRange<Int>
    public let binary: Bool
    /// Inverse document frequencies when the weighting is tf-idf, else nil.
    public let idf: [Double]?
    private let index: TokenTable

    public init(features: [String], ngramLengths: [UInt8], ngramRange: ClosedRange<Int>, binary: Bool, idf: [Double]?) {
        precondition(features.count == ngramLengths.count && (idf == nil || idf!.count == features.count))
        self.features = features
        self.ngramLengths = ngramLengths
        self.ngramRange = ngramRange
        self.binary = binary
        self.idf = idf
        var index = TokenTable(capacity: features.count)
        for f in features { index.insert(f) }
        self.index = index
    }

    /// The id of a feature name, or nil.
    public func id(of feature: String) -> Int32? { index.find(feature) }

    /// Reusable buffers, so building rows allocates nothing per document.
    public struct Scratch {
        var counts: [Double] = []
        var touched: [Int32] = []
        var key: [UInt8] = []
        var packed: [UInt8] = []
        public init() {}
    }

    /// Fills `row` from tokens given as strings (e.g. a tokenizer's output for `predict`).
    public func featurize(_ tokens: [String], into row: inout SparseRow, scratch: inout Scratch) {
        var packed = scratch.packed
        packed.removeAll(keepingCapacity: true)
        var ends: [Int] = []
        for t in tokens {
            packed.append(contentsOf: t.utf8)
            ends.append(packed.count)
        }
        packed.withUnsafeBytes { base in
            var views: [UnsafeRawBufferPointer] = []
            var start = 0
            for end in ends {
                views.append(UnsafeRawBufferPointer(rebasing: base[start..<end]))
                start = end
            }
            views.withUnsafeBufferPointer { featurize($0, into: &row, scratch: &scratch) }
        }
        scratch.packed = packed
    }

    /// Fills `row` from tokens given as UTF-8 byte views.
    public func featurize(_ tokens: UnsafeBufferPointer<UnsafeRawBufferPointer>, into row: inout SparseRow, scratch: inout Scratch) {
        if scratch.counts.count != features.count { scratch.counts = [Double](repeating: 0, count: features.count) }
        scratch.touched.removeAll(keepingCapacity: true)
        for n in ngramRange where n <= tokens.count {
            if n == 1 {
                for t in tokens { if let id = index.find(t) { add(id, &scratch) } }
                continue
            }
            for start in 0...(tokens.count - n) {
                NGram.key(tokens, start, n, into: &scratch.key)
                if let id = scratch.key.withUnsafeBytes({ index.find($0) }) { add(id, &scratch) }
            }
        }
        scratch.touched.sort()
        row.indices.removeAll(keepingCapacity: true)
        row.values.removeAll(keepingCapacity: true)
        var squares = 0.0
        for id in scratch.touched {
            var v = binary ? 1 : scratch.counts[Int(id)]
            scratch.counts[Int(id)] = 0
            if let idf { v *= idf[Int(id)] }
            squares += v * v
            row.indices.append(id)
            row.values.append(v)
        }
        if idf != nil, squares > 0 {
            let norm = squares.squareRoot()
            for k in row.values.indices { row.values[k] /= norm }
        }
    }

    @inline(__always)
    private func add(_ id: Int32, _ scratch: inout Scratch) {
        if scratch.counts[Int(id)] == 0 { scratch.touched.append(id) }
        scratch.counts[Int(id)] += 1
    }
}

/// Word n-gram names: the tokens joined by single spaces (scikit-learn's `_word_ngrams`).
public enum NGram {
    /// Writes the name of the n-gram `tokens[start..<start+n]` into `buffer`.
    @inline(__always)
    public static func key(_ tokens: UnsafeBufferPointer<UnsafeRawBufferPointer>, _ start: Int, _ n: Int, into buffer: inout [UInt8]) {
        buffer.removeAll(keepingCapacity: true)
        for k in start..<(start + n) {
            if k > start { buffer.append(0x20) }
            buffer.append(contentsOf: tokens[k])
        }
    }
}
