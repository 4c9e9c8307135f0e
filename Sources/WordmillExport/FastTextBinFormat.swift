import WordmillModels

/// fastText's `.bin` model file (version 12, as fastText 0.9 writes and `fasttext.load_model`
/// reads), little-endian:
///
///     int32 magic 793712314, int32 version 12
///     args: int32 dim, ws, epoch, minCount, neg, wordNgrams, loss, model, bucket, minn, maxn,
///           lrUpdateRate; float64 t          (loss: hs 1, ns 2, softmax 3, ova 4; model: sup 3)
///     dictionary: int32 size, nwords, nlabels; int64 ntokens, pruneidx_size (−1: not pruned);
///                 per entry its bytes, a 0 byte, int64 count, int8 type (0 word, 1 label)
///     uint8 quantised input 0; input matrix: int64 rows, int64 cols, rows × cols float32
///     uint8 quantised output 0; output matrix: int64 rows, int64 cols, float32
///
/// Words come first in row order, then the labels as `__label__` + class in output-row order.
public enum FastTextBinFormat {
    public static let magic: Int32 = 793_712_314
    public static let version: Int32 = 12
    public static let labelPrefix = "__label__"

    /// A classifier's `.bin` (a supervised model with the softmax loss). Its training-only
    /// arguments are recorded as fastText's defaults for `supervised` where wordmill has none
    /// (ws 5, minCount 1, neg 5, lrUpdateRate 100, t 1e-4); `epochs` is the model's.
    public static func classifier(_ model: FastTextClassifierModel, epochs: Int) throws(ExportError) -> [UInt8] {
        for (row, word) in model.words.enumerated() {
            if let reason = problem(with: word) { throw .unrepresentableToken(format: "fasttext-bin", id: row, token: word, reason: reason) }
        }
        for (row, name) in model.classes.enumerated() {
            if let reason = problem(with: name) { throw .unrepresentableToken(format: "fasttext-bin (a class)", id: row, token: name, reason: reason) }
        }
        var out: [UInt8] = []
        out.reserveCapacity((model.input.count + model.output.count) * 4 + model.words.count * 16 + 1024)
        func int32(_ v: Int) { withUnsafeBytes(of: Int32(v).littleEndian) { out.append(contentsOf: $0) } }
        func int64(_ v: Int) { withUnsafeBytes(of: Int64(v).littleEndian) { out.append(contentsOf: $0) } }
        func matrix(_ values: [Float], rows: Int) {
            out.append(0)  // not quantised
            int64(rows)
            int64(model.dim)
            values.withUnsafeBytes { out.append(contentsOf: $0) }
        }
        int32(Int(magic))
        int32(Int(version))
        for v in [model.dim, 5, epochs, 1, 5, model.wordNgrams, 3, 3, model.bucket, 0, 0, 100] { int32(v) }
        withUnsafeBytes(of: (1e-4 as Double).bitPattern.littleEndian) { out.append(contentsOf: $0) }
        let wordCounts = model.wordCounts.isEmpty ? Array(repeating: 1, count: model.words.count) : model.wordCounts
        let classCounts = model.classCounts.isEmpty ? Array(repeating: 1, count: model.classes.count) : model.classCounts
        int32(model.words.count + model.classes.count)
        int32(model.words.count)
        int32(model.classes.count)
        int64(wordCounts.reduce(0, +) + classCounts.reduce(0, +))
        int64(-1)
        func entry(_ text: String, count: Int, type: UInt8) {
            out.append(contentsOf: text.utf8)
            out.append(0)
            int64(count)
            out.append(type)
        }
        for (word, count) in zip(model.words, wordCounts) { entry(word, count: count, type: 0) }
        for (name, count) in zip(model.classes, classCounts) { entry(labelPrefix + name, count: count, type: 1) }
        matrix(model.input, rows: model.words.count + model.bucket)
        matrix(model.output, rows: model.classes.count)
        return out
    }

    /// Why fastText could not read `token` back as one word, or nil.
    static func problem(with token: String) -> String? {
        if token.utf8.contains(0) { return "it contains a NUL byte" }
        return Word2VecTextFormat.problem(with: token)
    }
}
