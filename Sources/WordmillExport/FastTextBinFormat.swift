import WordmillModels

/// fastText's `.bin` model file (version 12, as fastText 0.9 writes and `fasttext.load_model`
/// and gensim's `load_facebook_model` read), little-endian:
///
///     int32 magic 793712314, int32 version 12
///     args: int32 dim, ws, epoch, minCount, neg, wordNgrams, loss, model, bucket, minn, maxn,
///           lrUpdateRate; float64 t   (loss: hs 1, ns 2, softmax 3, ova 4; model: cbow 1, sg 2, sup 3)
///     dictionary: int32 size, nwords, nlabels; int64 ntokens, pruneidx_size (−1: not pruned);
///                 per entry its bytes, a 0 byte, int64 count, int8 type (0 word, 1 label)
///     uint8 quantised input 0; input matrix: int64 rows, int64 cols, rows × cols float32
///     uint8 quantised output 0; output matrix: int64 rows, int64 cols, float32
///
/// The input matrix holds the words' rows, then the `bucket` n-gram rows.
public enum FastTextBinFormat {
    public static let magic: Int32 = 793_712_314
    public static let version: Int32 = 12
    public static let labelPrefix = "__label__"

    /// fastText's `Args` as the file records them.
    public struct Arguments: Sendable {
        public enum Loss: Int32, Sendable { case hierarchical = 1, negative = 2, softmax = 3, oneVsAll = 4 }
        public enum Model: Int32, Sendable { case cbow = 1, skipgram = 2, supervised = 3 }
        public var dim, window, epochs, minCount, negative, wordNgrams: Int
        public var loss: Loss
        public var model: Model
        public var bucket, minn, maxn: Int
        public var sample: Double
        public init(dim: Int, window: Int, epochs: Int, minCount: Int, negative: Int, wordNgrams: Int, loss: Loss, model: Model,
                    bucket: Int, minn: Int, maxn: Int, sample: Double) {
            (self.dim, self.window, self.epochs, self.minCount, self.negative, self.wordNgrams) = (dim, window, epochs, minCount, negative, wordNgrams)
            (self.loss, self.model, self.bucket, self.minn, self.maxn, self.sample) = (loss, model, bucket, minn, maxn, sample)
        }
    }

    /// A classifier's `.bin` (a supervised model; loss softmax, hs or ova). Its training-only
    /// arguments are recorded as fastText's defaults for `supervised` where wordmill has none
    /// (ws 5, minCount 1, neg 5, t 1e-4); `epochs` is the model's. With the hierarchical
    /// softmax the labels are listed by count, most frequent first, as fastText's dictionary
    /// holds them and builds its tree from; the output matrix is then the tree's inner nodes
    /// and a zero row (fastText's has a row per label).
    public static func classifier(_ model: FastTextClassifierModel, epochs: Int) throws(ExportError) -> [UInt8] {
        for (row, name) in model.classes.enumerated() {
            if let reason = problem(with: name) { throw .unrepresentableToken(format: "fasttext-bin (a class)", id: row, token: name, reason: reason) }
        }
        let loss: Arguments.Loss = switch model.loss {
        case .softmax: .softmax
        case .hierarchical: .hierarchical
        case .oneVsAll: .oneVsAll
        }
        let arguments = Arguments(dim: model.dim, window: 5, epochs: epochs, minCount: 1, negative: 5, wordNgrams: model.wordNgrams, loss: loss,
                                  model: .supervised, bucket: model.bucket, minn: 0, maxn: 0, sample: 1e-4)
        let counts = model.classCounts.isEmpty ? Array(repeating: 1, count: model.classes.count) : model.classCounts
        let order = model.tree?.order ?? Array(model.classes.indices)
        let labels = order.map { (labelPrefix + model.classes[$0], counts[$0]) }
        let output = model.output + [Float](repeating: 0, count: model.classes.count * model.dim - model.output.count)
        return try encode(arguments, words: model.words, counts: model.wordCounts, labels: labels,
                          inputRows: { body in model.input.withUnsafeBufferPointer { body($0) } },
                          output: output, outputRows: model.classes.count)
    }

    /// A subword model's `.bin` (skip-gram or CBOW, negative sampling or hierarchical
    /// softmax); `output` as trained (hierarchical softmax: V − 1 rows, written with a zero
    /// row after them as fastText's V-row output matrix).
    public static func subwordModel(_ model: FastTextSubwordModel, counts: [Int], output: [Float], arguments: Arguments) throws(ExportError) -> [UInt8] {
        let d = model.dim
        return try encode(arguments, words: model.words, counts: counts, labels: [],
                          inputRows: { body in
                              model.wordRows.withUnsafeBufferPointer { body($0) }
                              var row = [Float](repeating: 0, count: d)
                              for b in 0..<model.bucket {
                                  model.bucketRow(b, into: &row)
                                  row.withUnsafeBufferPointer { body($0) }
                              }
                          },
                          output: output + [Float](repeating: 0, count: max(0, model.words.count * d - output.count)), outputRows: model.words.count)
    }

    /// The file: arguments, dictionary, the input rows as `inputRows` hands them over (in
    /// row order, any number of rows per call), the output matrix.
    static func encode(_ a: Arguments, words: [String], counts: [Int], labels: [(String, Int)],
                       inputRows: ((UnsafeBufferPointer<Float>) -> Void) -> Void, output: [Float], outputRows: Int) throws(ExportError) -> [UInt8] {
        for (row, word) in words.enumerated() {
            if let reason = problem(with: word) { throw .unrepresentableToken(format: "fasttext-bin", id: row, token: word, reason: reason) }
        }
        let inputCount = (words.count + a.bucket) * a.dim
        var out: [UInt8] = []
        out.reserveCapacity((inputCount + output.count) * 4 + words.count * 16 + 1024)
        func int32(_ v: Int) { withUnsafeBytes(of: Int32(v).littleEndian) { out.append(contentsOf: $0) } }
        func int64(_ v: Int) { withUnsafeBytes(of: Int64(v).littleEndian) { out.append(contentsOf: $0) } }
        int32(Int(magic))
        int32(Int(version))
        for v in [a.dim, a.window, a.epochs, a.minCount, a.negative, a.wordNgrams, Int(a.loss.rawValue), Int(a.model.rawValue), a.bucket, a.minn, a.maxn, 100] { int32(v) }
        withUnsafeBytes(of: a.sample.bitPattern.littleEndian) { out.append(contentsOf: $0) }
        let wordCounts = counts.isEmpty ? Array(repeating: 1, count: words.count) : counts
        int32(words.count + labels.count)
        int32(words.count)
        int32(labels.count)
        int64(wordCounts.reduce(0, +) + labels.reduce(0) { $0 + $1.1 })
        int64(-1)
        func entry(_ text: String, count: Int, type: UInt8) {
            out.append(contentsOf: text.utf8)
            out.append(0)
            int64(count)
            out.append(type)
        }
        for (word, count) in zip(words, wordCounts) { entry(word, count: count, type: 0) }
        for (label, count) in labels { entry(label, count: count, type: 1) }
        out.append(0)  // not quantised
        int64(words.count + a.bucket)
        int64(a.dim)
        let before = out.count
        inputRows { rows in out.append(contentsOf: UnsafeRawBufferPointer(rows)) }
        precondition(out.count - before == inputCount * 4, "the input rows do not fill \(words.count + a.bucket) × \(a.dim)")
        out.append(0)
        int64(outputRows)
        int64(a.dim)
        output.withUnsafeBytes { out.append(contentsOf: $0) }
        return out
    }

    /// Why fastText could not read `token` back as one word, or nil.
    static func problem(with token: String) -> String? {
        if token.utf8.contains(0) { return "it contains a NUL byte" }
        return Word2VecTextFormat.problem(with: token)
    }
}
