import Foundation
import WordmillNumerics

/// word2vec at corpus scale, as word2vec.c and gensim train it: skip-gram or CBOW with
/// negative sampling or hierarchical softmax, frequent-word subsampling, a reduced window
/// drawn per centre, and a learning rate decaying linearly over all epochs.
///
/// Threads share the corpus out part by part and update the shared parameters without
/// locks (Hogwild, as word2vec.c and gensim do). With one thread the random numbers depend
/// only on (seed, epoch, part), so training is bit-reproducible. Parameters live in raw
/// buffers allocated once; nothing allocates per word or per pair.
public final class Word2VecTrainer: @unchecked Sendable {
    public let config: Word2VecConfig
    public let vocabularySize: Int
    /// V×D input vectors (word2vec.c's syn0): the word vectors; with subwords (V + bucket)×D,
    /// the words' rows then the n-gram buckets', fastText's input matrix.
    let inputVectors: UnsafeMutablePointer<Float>
    let inputRows: Int
    /// fastText's subword rows of every word, when `config.subwords` is set.
    public let subwords: FastTextSubwords?
    /// The seed the n-gram buckets' starting rows come from: `config.seed`, or the seed of the
    /// model training continues from (`continueFrom`).
    public internal(set) var ngramSeed: UInt64
    /// Output vectors: V×D for negative sampling (syn1neg), (V−1)×D for hierarchical softmax (syn1).
    let outputVectors: UnsafeMutablePointer<Float>
    let outputRows: Int
    let noise: NoiseDistribution?
    let tables: SamplingTables

    /// Initialises input vectors uniformly in [−1/dim, 1/dim) (gensim 4; word2vec.c uses half that
    /// range; n-gram buckets from `FastTextSubwords.initialRow`) and output vectors to zero.
    /// `words` (the vocabulary's, in id order) are needed only with subwords.
    public init(config: Word2VecConfig, counts: [Int], words: [String] = []) {
        precondition(counts.count >= 2 && config.dim >= 1 && config.window >= 1 && config.threads >= 1)
        precondition(config.subwords == nil || words.count == counts.count, "the subword model needs the words")
        self.config = config
        vocabularySize = counts.count
        let d = config.dim
        subwords = config.subwords.map { FastTextSubwords(words: words, minn: $0.minn, maxn: $0.maxn, bucket: $0.bucket) }
        ngramSeed = config.seed
        inputRows = counts.count + (config.subwords?.bucket ?? 0)
        inputVectors = ParameterMemory.allocateFloats(inputRows * d)
        var g = RandomGenerator(seed: config.seed)
        for i in 0..<(counts.count * d) { inputVectors[i] = (g.nextFloat() * 2 - 1) / Float(d) }
        for b in 0..<(config.subwords?.bucket ?? 0) {
            FastTextSubwords.initialRow(bucket: b, seed: config.seed, dim: d, into: inputVectors + (counts.count + b) * d)
        }
        switch config.objective {
        case .negative:
            outputRows = counts.count
            noise = NoiseDistribution(counts: counts, power: config.noisePower)
        case .hierarchical:
            outputRows = counts.count - 1
            noise = nil
        }
        outputVectors = ParameterMemory.allocateFloats(outputRows * d)
        outputVectors.initialize(repeating: 0, count: outputRows * d)
        tables = SamplingTables(counts: counts, sample: config.sample, noise: noise, hierarchical: config.objective == .hierarchical, subwords: subwords)
    }

    deinit {
        ParameterMemory.deallocate(inputVectors, count: inputRows * config.dim)
        ParameterMemory.deallocate(outputVectors, count: outputRows * config.dim)
    }

    /// The input vectors as an array (V×D).
    public var wordVectors: [Float] { Array(UnsafeBufferPointer(start: inputVectors, count: vocabularySize * config.dim)) }
    /// The output vectors as an array.
    public var contextVectors: [Float] { Array(UnsafeBufferPointer(start: outputVectors, count: outputRows * config.dim)) }

    /// Replaces the words' input rows (tests).
    public func setWordVectors(_ values: [Float]) {
        precondition(values.count == vocabularySize * config.dim)
        values.withUnsafeBufferPointer { inputVectors.update(from: $0.baseAddress!, count: values.count) }
    }

    /// The input rows training can change, for a checkpoint: every word's, then with subwords
    /// the buckets in `FastTextSubwords.usedBuckets` (the others keep their seeded start).
    public func trainedInputRows(usedBuckets: [Int32]) -> [Float] {
        let d = config.dim
        var values = Array(UnsafeBufferPointer(start: inputVectors, count: vocabularySize * d))
        values.reserveCapacity((vocabularySize + usedBuckets.count) * d)
        for b in usedBuckets { values.append(contentsOf: UnsafeBufferPointer(start: inputVectors + (vocabularySize + Int(b)) * d, count: d)) }
        return values
    }

    /// Puts back what `trainedInputRows` returned; false when the sizes differ.
    public func restoreTrainedInputRows(_ values: [Float], usedBuckets: [Int32]) -> Bool {
        let d = config.dim
        guard values.count == (vocabularySize + usedBuckets.count) * d, usedBuckets.allSatisfy({ Int($0) < inputRows - vocabularySize }) else { return false }
        values.withUnsafeBufferPointer { v in
            inputVectors.update(from: v.baseAddress!, count: vocabularySize * d)
            for (k, b) in usedBuckets.enumerated() {
                (inputVectors + (vocabularySize + Int(b)) * d).update(from: v.baseAddress! + (vocabularySize + k) * d, count: d)
            }
        }
        return true
    }

    /// Replaces the output vectors (resuming).
    public func setContextVectors(_ values: [Float]) {
        precondition(values.count == outputRows * config.dim)
        values.withUnsafeBufferPointer { outputVectors.update(from: $0.baseAddress!, count: values.count) }
    }

    /// One epoch's figures.
    public struct EpochReport: Sendable {
        public let epoch: Int
        /// Mean loss per prediction (−log σ terms of the objective).
        public let loss: Double
        /// Corpus words (before subsampling) per second of wall time.
        public let wordsPerSecond: Double
        /// Words left after subsampling.
        public let trainedWords: Int
    }

    /// Trains epochs `startEpoch + 1 … epochs`; `progress` hears about each with the words
    /// processed so far (what the learning-rate schedule counts: a resumed run passes it
    /// back as `processedWords`). A non-finite loss throws `TrainingError`.
    public func train(corpus: Word2VecCorpus, startEpoch: Int = 0, processedWords: Int = 0,
                      progress: ((EpochReport, _ processedWords: Int) throws -> Void)? = nil) throws -> [EpochReport] {
        precondition(corpus.partCount >= 1)
        let shared = SharedProgress(totalWords: max(1, corpus.totalWords * config.epochs), done: processedWords)
        var reports: [EpochReport] = []
        for epoch in (startEpoch + 1)..<(config.epochs + 1) {
            let started = Date()
            let threads = min(config.threads, corpus.partCount)
            let queue = PartQueue(parts: corpus.partCount, threads: threads)
            let results = ResultBox(threads)
            // One OS thread per worker, started now: with `concurrentPerform` a pool thread that
            // started late found the part queue already drained by the caller's thread, and a
            // two-thread epoch sometimes ran on one core.
            runOnThreads(threads) { t in
                var worker = Word2VecWorker(trainer: self, shared: shared, threads: threads)
                defer { worker.release() }
                do {
                    while let unit = queue.next() {
                        var rng = RandomGenerator(seed: self.config.seed ^ (UInt64(epoch) &* 0x9E37_79B9_7F4A_7C15)
                            ^ (UInt64(unit.part) &* 0xC2B2_AE3D_27D4_EB4F) ^ (UInt64(unit.slice) &* 0x1656_67B1_9E37_79F9))
                        var ordinal = 0
                        try corpus.forEachDocument(unit.part) { document in
                            if ordinal % unit.slices == unit.slice { worker.train(document, rng: &rng) }
                            ordinal += 1
                        }
                    }
                    worker.flushProgress()
                    worker.syncPrivateRows()
                    results.set(t, .success((worker.loss, worker.predictions, worker.trainedWords)))
                } catch {
                    results.set(t, .failure(error))
                }
            }
            var loss = 0.0, predictions = 0, trained = 0
            for r in results.values {
                switch r {
                case .success(let (l, p, w)): loss += l; predictions += p; trained += w
                case .failure(let e): throw e
                case nil: break
                }
            }
            let mean = predictions > 0 ? loss / Double(predictions) : 0
            if !mean.isFinite { throw TrainingError.nonFiniteLoss(epoch: epoch, batch: 0, loss: mean) }
            let seconds = max(Date().timeIntervalSince(started), 1e-9)
            let report = EpochReport(epoch: epoch, loss: mean, wordsPerSecond: Double(corpus.totalWords) / seconds, trainedWords: trained)
            reports.append(report)
            try progress?(report, shared.processed)
        }
        return reports
    }
}

/// Tables the inner loop reads through raw pointers: subsampling thresholds, the noise
/// alias table, Huffman codes and points flattened, the sigmoid. Allocated once, freed
/// with the trainer.
final class SamplingTables: @unchecked Sendable {
    let keepThreshold: UnsafeMutableBufferPointer<UInt32>
    /// The noise distribution's alias table, one 8-byte entry per column: the threshold in the
    /// low 32 bits, the alias in the high 32, so that a draw reads one cache line, not two.
    let noiseEntries: UnsafeMutableBufferPointer<UInt64>
    let codeOffsets: UnsafeMutableBufferPointer<Int32>
    let codes: UnsafeMutableBufferPointer<UInt8>
    let points: UnsafeMutableBufferPointer<Int32>
    /// The longest Huffman code (0 without hierarchical softmax).
    let maxCodeLength: Int
    /// The inner nodes within `topDepth` of the root (every path starts with them), and per
    /// inner node its place in that list or −1: with several threads each keeps its own copy
    /// of these rows (see `Word2VecWorker`).
    let topNodes: [Int32]
    let topSlot: UnsafeMutableBufferPointer<Int32>
    static let topDepth = 6
    /// `SigmoidTable`'s σ and log σ entries.
    let sigmoid: UnsafeMutableBufferPointer<Float>
    let logSigmoid: UnsafeMutableBufferPointer<Float>
    /// `FastTextSubwords.offsets` and `.rows` (empty without subwords).
    let subwordOffsets: UnsafeMutableBufferPointer<Int32>
    let subwordRows: UnsafeMutableBufferPointer<Int32>

    init(counts: [Int], sample: Double, noise: NoiseDistribution?, hierarchical: Bool, subwords: FastTextSubwords?) {
        func copy<T>(_ a: [T]) -> UnsafeMutableBufferPointer<T> {
            let p = UnsafeMutableBufferPointer<T>.allocate(capacity: max(1, a.count))
            _ = p.initialize(from: a)
            return p
        }
        let table = SigmoidTable()
        sigmoid = copy(table.sigmoid)
        logSigmoid = copy(table.logSigmoid)
        keepThreshold = copy(Subsampling(counts: counts, sample: sample).thresholds)
        subwordOffsets = copy(subwords?.offsets ?? [])
        subwordRows = copy(subwords?.rows ?? [])
        noiseEntries = copy(noise.map { n in zip(n.threshold, n.alias).map { UInt64($0) | UInt64(UInt32(bitPattern: $1)) << 32 } } ?? [])
        if hierarchical {
            let tree = HuffmanTree(counts: counts)
            var offsets: [Int32] = [0]
            for c in tree.codes { offsets.append(offsets.last! + Int32(c.count)) }
            codeOffsets = copy(offsets)
            maxCodeLength = tree.codes.map(\.count).max() ?? 0
            codes = copy(tree.codes.flatMap { $0 })
            points = copy(tree.points.flatMap { $0 })
            var top: [Int32] = []
            var slot = [Int32](repeating: -1, count: max(1, counts.count))
            for path in tree.points {
                for node in path.prefix(SamplingTables.topDepth) where slot[Int(node)] < 0 {
                    slot[Int(node)] = Int32(top.count)
                    top.append(node)
                }
            }
            topNodes = top
            topSlot = copy(slot)
        } else {
            topNodes = []
            topSlot = copy([Int32]())
            codeOffsets = copy([Int32]())
            maxCodeLength = 0
            codes = copy([UInt8]())
            points = copy([Int32]())
        }
    }

    deinit {
        keepThreshold.deallocate(); noiseEntries.deallocate()
        codeOffsets.deallocate(); codes.deallocate(); points.deallocate(); sigmoid.deallocate(); logSigmoid.deallocate(); topSlot.deallocate()
        subwordOffsets.deallocate(); subwordRows.deallocate()
    }
}

/// Runs `body(0..<count)` on `count` freshly started threads and waits for all of them.
func runOnThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    if count == 1 { return body(0) }
    let group = DispatchGroup()
    for t in 0..<count {
        group.enter()
        let thread = Thread {
            body(t)
            group.leave()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }
    group.wait()
}

/// Words processed by all threads, for the learning-rate schedule.
final class SharedProgress: @unchecked Sendable {
    private let lock = NSLock()
    private var done: Int
    let totalWords: Int
    init(totalWords: Int, done: Int = 0) {
        self.totalWords = totalWords
        self.done = done
    }

    /// Words processed so far.
    var processed: Int {
        lock.lock()
        defer { lock.unlock() }
        return done
    }

    /// Adds `words` and returns the fraction of all epochs' words done.
    func add(_ words: Int) -> Double {
        lock.lock()
        defer { lock.unlock() }
        done += words
        return Double(done) / Double(totalWords)
    }
}

/// Hands out an epoch's work in order to whichever thread asks next: whole parts, then with
/// several threads the last `threads + 1` parts each in `tailSlices` slices (a slice: every
/// `slices`-th document of its part). A thread that finds the queue empty waits for the others
/// to finish their parts before the next epoch; on a small corpus (gcide: 16 parts an epoch)
/// that wait averaged half a part, 6 % of two threads' time, and slices cut it to an eighth.
final class PartQueue: @unchecked Sendable {
    /// Part `part`'s documents with ordinal ≡ `slice` (mod `slices`).
    struct Unit {
        let part: Int
        let slice: Int
        let slices: Int
    }

    static let tailSlices = 4
    private let lock = NSLock()
    private var next_ = 0
    private let units: [Unit]

    init(parts: Int, threads: Int) {
        let whole = threads > 1 ? max(0, parts - threads - 1) : parts
        units = (0..<whole).map { Unit(part: $0, slice: 0, slices: 1) }
            + (whole..<parts).flatMap { p in (0..<Self.tailSlices).map { Unit(part: p, slice: $0, slices: Self.tailSlices) } }
    }

    func next() -> Unit? {
        lock.lock()
        defer { lock.unlock() }
        guard next_ < units.count else { return nil }
        next_ += 1
        return units[next_ - 1]
    }

    /// Every unit left, in order (tests).
    func drain() -> [Unit] {
        var all: [Unit] = []
        while let unit = next() { all.append(unit) }
        return all
    }
}

/// Per-thread results.
final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [Result<(Double, Int, Int), Error>?]
    init(_ n: Int) { values = Array(repeating: nil, count: n) }
    func set(_ i: Int, _ r: Result<(Double, Int, Int), Error>) {
        lock.lock()
        values[i] = r
        lock.unlock()
    }
}
