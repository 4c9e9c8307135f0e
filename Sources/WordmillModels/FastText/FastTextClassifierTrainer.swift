import Foundation
import WordmillNumerics

/// Training documents as the classifier reads them: each document's input rows (its words',
/// then its hashed word n-grams') and its classes (one, or several in a multi-label corpus).
public struct FastTextDocuments: Sendable {
    public private(set) var offsets: [Int] = [0]
    public private(set) var rows: [Int32] = []
    /// Document i's classes are `labels[labelOffsets[i] ..< labelOffsets[i + 1]]`.
    public private(set) var labelOffsets: [Int] = [0]
    public private(set) var labels: [Int32] = []
    /// Tokens of all documents: what the learning-rate schedule and words/s count.
    public private(set) var tokens = 0

    public init() {}

    public var count: Int { labelOffsets.count - 1 }

    /// Empties the documents, keeping the arrays' capacity (a block buffer read again).
    public mutating func removeAll() {
        offsets.removeAll(keepingCapacity: true)
        offsets.append(0)
        rows.removeAll(keepingCapacity: true)
        labelOffsets.removeAll(keepingCapacity: true)
        labelOffsets.append(0)
        labels.removeAll(keepingCapacity: true)
        tokens = 0
    }

    /// Adds a document of `tokens` tokens given as its input rows, with one class.
    public mutating func append(rows documentRows: [Int32], label: Int32, tokens documentTokens: Int) {
        append(rows: documentRows, labels: [label], tokens: documentTokens)
    }

    /// Adds a document with its classes (at least one).
    public mutating func append(rows documentRows: [Int32], labels documentLabels: [Int32], tokens documentTokens: Int) {
        precondition(!documentLabels.isEmpty)
        rows.append(contentsOf: documentRows)
        offsets.append(rows.count)
        labels.append(contentsOf: documentLabels)
        labelOffsets.append(labels.count)
        tokens += documentTokens
    }
}

/// Where the classifier's training documents come from: all held in memory, or read from
/// storage a block at a time (memory: one block, whatever the corpus).
public struct FastTextTrainingSource: Sendable {
    /// Training documents and their tokens (what the learning-rate schedule counts).
    public let documents: Int
    public let tokens: Int
    /// The documents, when held: each epoch visits them in one seeded order (with `shuffle`)
    /// shared out among the threads in contiguous runs of it.
    let held: FastTextDocuments?
    /// Otherwise the blocks of every epoch, and a function that fills its buffer with block k
    /// of an epoch; each block is then trained as held documents are.
    let blockCount: Int
    let readBlock: (@Sendable (_ epoch: Int, _ block: Int, _ into: inout FastTextDocuments) throws -> Void)?

    public static func inMemory(_ documents: FastTextDocuments) -> FastTextTrainingSource {
        FastTextTrainingSource(documents: documents.count, tokens: documents.tokens, held: documents, blockCount: 1, readBlock: nil)
    }

    public static func blocks(documents: Int, tokens: Int, count: Int,
                              read: @escaping @Sendable (_ epoch: Int, _ block: Int, _ into: inout FastTextDocuments) throws -> Void) -> FastTextTrainingSource {
        FastTextTrainingSource(documents: documents, tokens: tokens, held: nil, blockCount: max(1, count), readBlock: read)
    }
}

/// The classifier's settings (fastText's `supervised` arguments of the same names).
public struct FastTextClassifierConfig: Sendable, Equatable {
    public var dim: Int
    public var epochs: Int
    public var lr: Float
    public var wordNgrams: Int
    public var bucket: Int
    public var threads: Int
    public var seed: UInt64
    /// Visit the documents in a new seeded order every epoch (fastText keeps the file's order).
    public var shuffle: Bool
    public var loss: FastTextLoss

    public init(dim: Int = 100, epochs: Int = 5, lr: Float = 0.1, wordNgrams: Int = 1, bucket: Int = 0, threads: Int = 1, seed: UInt64 = 1,
                shuffle: Bool = false, loss: FastTextLoss = .softmax) {
        (self.dim, self.epochs, self.lr, self.wordNgrams, self.bucket, self.threads, self.seed) = (dim, epochs, lr, wordNgrams, bucket, threads, seed)
        (self.shuffle, self.loss) = (shuffle, loss)
    }
}

/// Trains `FastTextClassifierModel` as fastText's `supervised` does: per document the mean of
/// its input rows, the loss's output layer (softmax, the class tree's path, or a logistic
/// regression per class), the output rows and every input row of the document updated by SGD (the input gradient divided by the number of rows), the learning
/// rate decaying linearly to zero over all epochs' tokens, the documents in a new seeded order
/// every epoch when `shuffle` is set (blocks of documents drawn at random, each shuffled, when
/// they are read from storage). Threads split the documents into
/// contiguous shares and update the input matrix without locks (Hogwild), the output rows
/// through per-thread copies synced every 64 documents; with one thread
/// training is bit-reproducible. Input rows start uniform in [−1/dim, 1/dim], output rows at zero.
public final class FastTextClassifierTrainer: @unchecked Sendable {
    public let config: FastTextClassifierConfig
    public let inputRows: Int
    public let classCount: Int
    /// Output rows: one per class, or per inner node of `tree`.
    public let outputRows: Int
    /// The hierarchical softmax's tree; nil for the other losses.
    public let tree: FastTextClassTree?
    let input: UnsafeMutablePointer<Float>
    let output: UnsafeMutablePointer<Float>

    /// `classCounts` (documents per class) build the hierarchical softmax's tree.
    public init(config: FastTextClassifierConfig, words: Int, classes: Int, classCounts: [Int] = []) {
        precondition(config.dim >= 1 && classes >= 1 && words >= 1 && config.threads >= 1)
        precondition(config.loss != .hierarchical || (classCounts.count == classes && classes >= 2), "the hierarchical softmax needs two classes or more and their counts")
        self.config = config
        inputRows = words + config.bucket
        classCount = classes
        outputRows = config.loss.outputRows(classes: classes)
        tree = config.loss == .hierarchical ? FastTextClassTree(counts: classCounts) : nil
        let d = config.dim
        input = ParameterMemory.allocateFloats(inputRows * d)
        var g = RandomGenerator(seed: config.seed)
        let bound = 1 / Float(d)
        for i in 0..<(inputRows * d) { input[i] = (g.nextFloat() * 2 - 1) * bound }
        output = .allocate(capacity: max(1, outputRows) * d)
        output.initialize(repeating: 0, count: max(1, outputRows) * d)
    }

    deinit {
        ParameterMemory.deallocate(input, count: inputRows * config.dim)
        output.deallocate()
    }

    /// One epoch's figures.
    public struct EpochReport: Sendable {
        public let epoch: Int
        /// Mean loss per document (`FastTextClassifierModel.loss`) over the epoch.
        public let loss: Double
        /// Tokens per second of wall time.
        public let tokensPerSecond: Double
    }

    /// Trains every epoch over `documents`, held in memory; `progress` hears about each.
    public func train(_ documents: FastTextDocuments, progress: ((EpochReport) throws -> Void)? = nil) throws -> [EpochReport] {
        try train(source: .inMemory(documents), progress: progress)
    }

    /// Trains every epoch over `source`'s documents; `progress` hears about each.
    public func train(source: FastTextTrainingSource, progress: ((EpochReport) throws -> Void)? = nil) throws -> [EpochReport] {
        let shared = SharedProgress(totalWords: max(1, source.tokens * config.epochs))
        let threads = max(1, min(config.threads, source.documents))
        var reports: [EpochReport] = []
        var order = source.held == nil ? [] : Array(0..<source.documents)
        var shuffler = RandomGenerator(seed: config.seed ^ 0x5DEE_CE66_D1CE_4E5B)
        var buffer = FastTextDocuments()
        for epoch in 1...config.epochs {
            let started = Date()
            var loss = 0.0, seen = 0
            if let held = source.held {
                if config.shuffle { shuffler.shuffle(&order) }
                (loss, seen) = try trainShares(held, order, threads: threads, shared: shared, epoch: epoch, block: 0)
            } else {
                for k in 0..<source.blockCount {
                    try source.readBlock!(epoch, k, &buffer)
                    var blockOrder = Array(0..<buffer.count)
                    if config.shuffle { shuffler.shuffle(&blockOrder) }
                    let (l, n) = try trainShares(buffer, blockOrder, threads: threads, shared: shared, epoch: epoch, block: k)
                    (loss, seen) = (loss + l, seen + n)
                }
            }
            let mean = seen > 0 ? loss / Double(seen) : 0
            if !mean.isFinite { throw TrainingError.nonFiniteLoss(epoch: epoch, batch: 0, loss: mean) }
            let seconds = max(Date().timeIntervalSince(started), 1e-9)
            let report = EpochReport(epoch: epoch, loss: mean, tokensPerSecond: Double(source.tokens) / seconds)
            reports.append(report)
            try progress?(report)
        }
        return reports
    }

    /// Trains `documents` in the order `visit`, thread t taking the t-th contiguous run of it;
    /// the summed loss and the documents trained.
    private func trainShares(_ documents: FastTextDocuments, _ visit: [Int], threads: Int, shared: SharedProgress, epoch: Int, block: Int) throws -> (Double, Int) {
        let results = ResultBox(threads)
        runOnThreads(threads) { t in
            var worker = FastTextClassifierWorker(trainer: self, shared: shared, threads: threads)
            defer { worker.release() }
            // Which of a multi-label document's classes softmax trains on, as fastText picks one at random.
            var rng = RandomGenerator(seed: self.config.seed ^ (UInt64(epoch) &* 0x9E37_79B9_7F4A_7C15) ^ (UInt64(t + 1) &* 0xC2B2_AE3D_27D4_EB4F)
                                      ^ (UInt64(block) &* 0xD6E8_FEB8_6659_FD93))
            let share = (visit.count * t / threads)..<(visit.count * (t + 1) / threads)
            for k in share { worker.train(documents, visit[k], rng: &rng) }
            worker.flushProgress()
            worker.syncOutput()
            results.set(t, .success((worker.loss, worker.documents, 0)))
        }
        var loss = 0.0, seen = 0
        for case .success(let (l, n, _)) in results.values { loss += l; seen += n }
        return (loss, seen)
    }

    /// The trained model (`wordCounts`, `classCounts`: see `FastTextClassifierModel`).
    public func model(words: [String], classes: [String], wordCounts: [Int] = [], classCounts: [Int] = []) -> FastTextClassifierModel {
        precondition(words.count + config.bucket == inputRows && classes.count == classCount)
        return FastTextClassifierModel(
            dim: config.dim, words: words, bucket: config.bucket, wordNgrams: config.wordNgrams, classes: classes, loss: config.loss,
            input: Array(UnsafeBufferPointer(start: input, count: inputRows * config.dim)),
            output: Array(UnsafeBufferPointer(start: output, count: outputRows * config.dim)), wordCounts: wordCounts, classCounts: classCounts)
    }
}

/// One thread's share of classifier training: its scratch rows, learning rate and loss.
///
/// Every document updates every output row, so threads writing the shared output matrix in
/// place would pass its cache lines back and forth on every document (two threads ran slower
/// than one). With several threads each worker trains its own copy (`output`) and keeps the
/// shared rows as they were at its last sync (`outputBase`); every `syncEvery` documents it
/// adds its change since then to the shared rows and takes the result back.
struct FastTextClassifierWorker {
    private let d: Int
    private let classes: Int
    /// Output rows (classes, or the tree's inner nodes) and the loss that reads them.
    private let outputRowCount: Int
    private let lossKind: FastTextLoss
    private let tree: FastTextClassTree?
    private let input: UnsafeMutablePointer<Float>
    private let sharedOutput: UnsafeMutablePointer<Float>
    private let output: UnsafeMutablePointer<Float>
    private let outputBase: UnsafeMutablePointer<Float>?
    private var sinceSync = 0
    private static let syncEvery = 64
    private let hidden: UnsafeMutablePointer<Float>
    private let gradient: UnsafeMutablePointer<Float>
    private let probabilities: UnsafeMutablePointer<Float>
    private let shared: SharedProgress
    private let baseRate: Float
    private var rate: Float
    private var tokensSinceUpdate = 0
    private(set) var loss = 0.0
    private(set) var documents = 0

    init(trainer: FastTextClassifierTrainer, shared: SharedProgress, threads: Int) {
        d = trainer.config.dim
        classes = trainer.classCount
        (outputRowCount, lossKind, tree) = (trainer.outputRows, trainer.config.loss, trainer.tree)
        input = trainer.input
        sharedOutput = trainer.output
        if threads > 1 {
            output = Word2VecWorker.allocate(outputRowCount * d)
            output.update(from: sharedOutput, count: outputRowCount * d)
            let base: UnsafeMutablePointer<Float> = Word2VecWorker.allocate(outputRowCount * d)
            base.update(from: sharedOutput, count: outputRowCount * d)
            outputBase = base
        } else {
            output = sharedOutput
            outputBase = nil
        }
        hidden = Word2VecWorker.allocate(d)
        gradient = Word2VecWorker.allocate(d)
        probabilities = Word2VecWorker.allocate(classes)
        self.shared = shared
        baseRate = trainer.config.lr
        rate = baseRate * Float(max(0, 1 - shared.add(0)))
    }

    func release() {
        if let outputBase {
            UnsafeMutableRawPointer(output).deallocate()
            UnsafeMutableRawPointer(outputBase).deallocate()
        }
        UnsafeMutableRawPointer(hidden).deallocate()
        UnsafeMutableRawPointer(gradient).deallocate()
        UnsafeMutableRawPointer(probabilities).deallocate()
    }

    /// Reports tokens not yet counted toward the schedule.
    mutating func flushProgress() {
        _ = shared.add(tokensSinceUpdate)
        tokensSinceUpdate = 0
    }

    /// Adds this worker's change to the output rows since the last sync to the shared rows and
    /// takes the shared rows back (nothing with one thread, which trains them in place).
    mutating func syncOutput() {
        guard let base = outputBase else { return }
        sinceSync = 0
        for i in 0..<(outputRowCount * d) {
            let v = sharedOutput[i] + (output[i] - base[i])
            sharedOutput[i] = v
            output[i] = v
            base[i] = v
        }
    }

    /// One SGD step on document `i` of `documents`.
    @inline(__always)
    mutating func train(_ documents: FastTextDocuments, _ i: Int, rng: inout RandomGenerator) {
        documents.rows.withUnsafeBufferPointer { rows in
            documents.labels.withUnsafeBufferPointer { labels in
                train(rows: UnsafeBufferPointer(rebasing: rows[documents.offsets[i]..<documents.offsets[i + 1]]),
                      labels: UnsafeBufferPointer(rebasing: labels[documents.labelOffsets[i]..<documents.labelOffsets[i + 1]]), rng: &rng)
            }
        }
    }

    /// One SGD step on a document (its input rows; a document without rows is skipped) with
    /// its classes: one-vs-all takes them all as positives; softmax and the hierarchical
    /// softmax train on one, drawn at random when there are several (fastText's way).
    @inline(__always)
    mutating func train(rows: UnsafeBufferPointer<Int32>, labels: UnsafeBufferPointer<Int32>, rng: inout RandomGenerator) {
        let d = self.d, input = self.input, output = self.output, hidden = self.hidden, gradient = self.gradient, p = self.probabilities
        tokensSinceUpdate += rows.count
        if tokensSinceUpdate >= 1024 {
            rate = baseRate * Float(max(0, 1 - shared.add(tokensSinceUpdate)))
            tokensSinceUpdate = 0
        }
        guard !rows.isEmpty else { return }
        VectorKernels.zero(hidden, d)
        for r in rows { VectorKernels.axpy(1, input + Int(r) * d, hidden, d) }
        let inverse = 1 / Float(rows.count)
        VectorKernels.scale(inverse, hidden, d)
        documents += 1
        VectorKernels.zero(gradient, d)
        let rate = self.rate
        let label = Int(labels.count == 1 ? labels[0] : labels[Int(rng.next() % UInt64(labels.count))])
        /// One logistic regression: the row scores `hidden`, the target is `label` (fastText's `binaryLogistic`).
        @inline(__always) func binary(_ row: UnsafeMutablePointer<Float>, _ label: Bool) -> Double {
            let s = logistic(VectorKernels.dot(row, hidden, d))
            let alpha = rate * ((label ? 1 : 0) - s)
            VectorKernels.axpy(alpha, row, gradient, d)
            VectorKernels.axpy(alpha, hidden, row, d)
            return -Double(Foundation.log(label ? s + 1e-5 : 1 - s + 1e-5))
        }
        switch lossKind {
        case .softmax:
            FastTextSoftmax.probabilities(output, classes: classes, hidden: hidden, dim: d, into: p)
            loss -= Double(Foundation.log(p[label] + 1e-5))
            for c in 0..<classes {
                let alpha = rate * ((c == label ? 1 : 0) - p[c])
                let row = output + c * d
                VectorKernels.axpy(alpha, row, gradient, d)
                VectorKernels.axpy(alpha, hidden, row, d)
            }
        case .oneVsAll:
            for c in 0..<classes { loss += binary(output + c * d, labels.contains(Int32(c))) }
        case .hierarchical:
            for (node, code) in zip(tree!.points[label], tree!.codes[label]) { loss += binary(output + Int(node) * d, code == 1) }
        }
        VectorKernels.scale(inverse, gradient, d)
        for r in rows { VectorKernels.axpy(1, gradient, input + Int(r) * d, d) }
        if outputBase != nil {
            sinceSync += 1
            if sinceSync >= FastTextClassifierWorker.syncEvery { syncOutput() }
        }
    }
}
