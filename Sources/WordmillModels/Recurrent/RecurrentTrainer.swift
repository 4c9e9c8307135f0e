import Foundation
import WordmillData
import WordmillNumerics

/// Trains a recurrent model on a `sequences` dataset: mini-batches split over worker
/// threads (each with its own network and gradients, summed before the step), norm
/// clipping, SGD or Adam, a validation pass per epoch, and a checkpoint hook per epoch.
///
/// The dataset is read, never held: classifiers and taggers train on random blocks of about
/// `memoryBytes` of documents (each training document falls in one block, drawn anew every
/// epoch, so the order stays a uniform shuffle; a dataset that fits is one block), and
/// language models read their columns through cursors. Memory is the blocks and cursors, the
/// model and its optimiser, never the corpus.
///
/// Everything random in epoch e (blocks, batch order, dropout masks) comes from generators
/// seeded by (seed, e), so a run resumed from the checkpoint after epoch e continues exactly
/// as the uninterrupted run would.
public final class RecurrentTrainer {
    public let model: RecurrentModelConfig
    public let config: RecurrentTrainingConfig
    public let source: SequenceSource
    public let layout: RecurrentModelLayout
    /// The model's parameters (the layout's flat vector).
    public var parameters: [Float]
    public let optimizer: Optimizer
    let workers: [RecurrentWorker]
    /// The parts' sizes, from one scan of the offsets and the split.
    public let trainingDocumentCount: Int, testDocumentCount: Int
    let trainingTokens: Int, testTokens: Int
    /// Contiguous document ranges of about `memoryBytes` each: what evaluation reads at a time.
    let evaluationBlocks: [Range<Int>]
    /// The random blocks the training documents are shuffled in, every epoch.
    public let trainingBlockCount: Int
    /// Testing hook: the loss of this epoch is taken as NaN (the fault-injection suite).
    public var injectNaNAtEpoch: Int?
    /// Where each language-model column starts, by part, column count and column length.
    private var columnStarts: [ColumnLayout: [PartPosition]] = [:]

    /// A language-model pass's columns: the part, how many, and how long.
    private struct ColumnLayout: Hashable {
        let part: SequenceSource.Part
        let columns: Int
        let length: Int
    }

    /// Bytes a block spends on a document beyond its tokens (its index, start, offset, label
    /// and its places in the shuffled order and the batches).
    static let blockBytesPerDocument = 48

    public init(model: RecurrentModelConfig, config: RecurrentTrainingConfig, source: SequenceSource) throws {
        self.model = model
        self.config = config
        self.source = source
        layout = RecurrentModelLayout(model)
        parameters = [Float](repeating: 0, count: layout.count)
        optimizer = Optimizer(config: config.optimizer, count: layout.count)
        workers = (0..<max(1, config.threads)).map { _ in
            let worker = RecurrentWorker(config: model)
            worker.trainEmbedding = !config.freezeEmbedding
            return worker
        }
        let perToken = model.task == .tag ? 8 : 4, budget = max(1, config.memoryBytes)
        var trainingDocuments = 0, testDocuments = 0, trainingTokens = 0, testTokens = 0, trainingBytes = 0
        var blocks: [Range<Int>] = [], blockStart = 0, blockBytes = 0
        try source.scan { d, range, training in
            let bytes = range.count * perToken + Self.blockBytesPerDocument
            if training {
                trainingDocuments += 1
                trainingTokens += range.count
                trainingBytes += bytes
            } else {
                testDocuments += 1
                testTokens += range.count
            }
            if blockBytes > 0 && blockBytes + bytes > budget {
                blocks.append(blockStart..<d)
                blockStart = d
                blockBytes = 0
            }
            blockBytes += bytes
        }
        if blockStart < source.documents { blocks.append(blockStart..<source.documents) }
        trainingDocumentCount = trainingDocuments
        testDocumentCount = testDocuments
        self.trainingTokens = trainingTokens
        self.testTokens = testTokens
        evaluationBlocks = blocks
        trainingBlockCount = model.task == .lm ? 1 : max(1, (trainingBytes + budget - 1) / budget)
    }

    public var trainableRange: Range<Int> { config.freezeEmbedding ? layout.afterEmbedding : 0..<layout.count }

    /// The documents of `part`, from the scan.
    public func documentCount(_ part: SequenceSource.Part) -> Int {
        switch part {
        case .training: return trainingDocumentCount
        case .test: return testDocumentCount
        case .all: return trainingDocumentCount + testDocumentCount
        }
    }

    /// The tokens of `part`, from the scan.
    func tokenCount(_ part: SequenceSource.Part) -> Int {
        switch part {
        case .training: return trainingTokens
        case .test: return testTokens
        case .all: return trainingTokens + testTokens
        }
    }

    /// PyTorch's default initialisation from the seed.
    public func initialize() {
        var random = RandomGenerator(seed: config.seed)
        parameters.withUnsafeMutableBufferPointer { workers[0].initialize($0.baseAddress!, random: &random) }
    }

    /// Copies pretrained vectors into the embedding rows of the words they cover; returns how many.
    @discardableResult
    public func loadEmbeddings(_ table: EmbeddingTable) -> Int {
        loadEmbeddings(dim: table.dim, vector: table.vector(of:))
    }

    /// Sets the embedding row of every token `vector` has a vector for (a fastText subword
    /// model has one for any token); returns how many.
    public func loadEmbeddings(dim: Int, vector: (String) -> [Float]?) -> Int {
        precondition(dim == model.embeddingDim)
        var matched = 0
        for (id, word) in source.vocabulary.enumerated() where id != Int(SequenceDataset.padId) {
            guard let v = vector(word) else { continue }
            for k in 0..<dim { parameters[layout.embedding + id * dim + k] = v[k] }
            matched += 1
        }
        return matched
    }

    static func epochSeed(_ seed: UInt64, _ epoch: Int, _ stream: UInt64) -> UInt64 {
        seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(epoch) &* 0xD1B5_4A32_D192_ED03 &+ stream
    }

    /// Generator streams of an epoch: 0 draws each training document's block, 1 shuffles the
    /// first block (the whole part when it fits), `blockStream + k` block k > 0, and
    /// `2 + batch · 64 + worker` the workers' dropout (batches stay far below 2^56).
    static let blockStream: UInt64 = 1 << 62

    /// Offer a mid-epoch checkpoint (`onPosition`) when this long has passed since the last one.
    public var checkpointInterval: TimeInterval?

    /// Trains epochs `startEpoch + 1 … epochs` — or, with `resume`, from that point inside
    /// epoch `resume.epoch`; `onEpoch` receives each epoch's record (and may checkpoint), and
    /// `onPosition` a position inside an epoch every `checkpointInterval`. Stops with
    /// `RecurrentDiverged` when the loss stops being finite, leaving `parameters` as they were
    /// at the start of that epoch (or at the resumed position).
    public func train(startEpoch: Int = 0, resume: RecurrentPosition? = nil, onEpoch: (RecurrentEpochRecord) throws -> Void,
                      onPosition: ((RecurrentPosition) throws -> Void)? = nil) throws {
        BLAS.setThreads(1)
        let first = resume?.epoch ?? startEpoch + 1
        var lastCheckpoint = Date()
        for epoch in first...max(config.epochs, first) where epoch <= config.epochs {
            let saved = parameters
            let savedFirst = optimizer.first, savedSecond = optimizer.second, savedSteps = optimizer.steps
            let started = Date()
            let within = resume?.epoch == epoch ? resume : nil
            let offer = { (position: RecurrentPosition) throws in
                guard let interval = self.checkpointInterval, let onPosition, Date().timeIntervalSince(lastCheckpoint) >= interval else { return }
                try onPosition(position)
                lastCheckpoint = Date()
            }
            let totals: BatchTotals
            if model.task == .lm {
                totals = try runLanguageModel(part: .training, epoch: epoch, train: true, resume: within, afterStep: offer)
            } else {
                totals = try trainDocuments(epoch: epoch, resume: within, afterStep: offer)
            }
            let seconds = Date().timeIntervalSince(started)
            let loss = epoch == injectNaNAtEpoch ? .nan : totals.loss / Double(max(1, totals.targets))
            guard loss.isFinite else {
                parameters = saved
                optimizer.first = savedFirst
                optimizer.second = savedSecond
                optimizer.steps = savedSteps
                throw RecurrentDiverged(epoch: epoch)
            }
            var record = RecurrentEpochRecord(epoch: epoch, loss: loss, tokens: model.task == .classify ? trainingTokens : totals.targets, seconds: seconds)
            if testDocumentCount > 0 {
                let validation = try evaluate(part: .test)
                record.validationLoss = validation.totals.loss / Double(max(1, validation.totals.targets))
                if model.task != .lm { record.validationAccuracy = Double(validation.totals.correct) / Double(max(1, validation.totals.targets)) }
            }
            try onEpoch(record)
        }
    }

    /// Batches in a block of `documents` training documents (what `batches` makes of it).
    func batchCount(documents: Int) -> Int {
        let size = config.batchSize
        guard config.bucketByLength else { return (documents + size - 1) / size }
        let pool = size * 50
        return documents / pool * 50 + (documents % pool + size - 1) / size
    }

    /// How many training documents fall in each block this epoch (the draws `trainDocuments` repeats).
    func blockSizes(epoch: Int) -> [Int] {
        let blocks = trainingBlockCount
        guard blocks > 1 else { return [trainingDocumentCount] }
        var sizes = [Int](repeating: 0, count: blocks)
        var draw = RandomGenerator(seed: Self.epochSeed(config.seed, epoch, 0))
        for _ in 0..<trainingDocumentCount { sizes[draw.nextInt(below: blocks)] += 1 }
        return sizes
    }

    /// One training epoch of a classifier or tagger: block after block, each read in one pass,
    /// shuffled and batched; from `resume` on when given.
    func trainDocuments(epoch: Int, resume: RecurrentPosition?, afterStep: ((RecurrentPosition) throws -> Void)?) throws -> BatchTotals {
        var totals = resume?.totals ?? BatchTotals()
        let blocks = trainingBlockCount
        var firstBatch = 0
        for (k, size) in blockSizes(epoch: epoch).enumerated() {
            let count = batchCount(documents: size)
            defer { firstBatch += count }
            if let resume, firstBatch + count <= resume.steps { continue }
            var draw = RandomGenerator(seed: Self.epochSeed(config.seed, epoch, 0))
            let block = try source.read(documents: 0..<source.documents) { _, training in
                training && (blocks == 1 || draw.nextInt(below: blocks) == k)
            }
            let batches = self.batches(block, epoch: epoch, block: k)
            precondition(batches.count == count && block.count == size, "block \(k) of epoch \(epoch) came out unlike its plan")
            totals = try runDocuments(block, batches, firstBatch: firstBatch, epoch: epoch, train: true, totals: totals,
                                      from: resume?.steps ?? 0, afterStep: afterStep)
        }
        return totals
    }

    /// A block's batches, in the block's own indices: shuffled, then (bucketing) sorted by
    /// length within pools of 50 batches and the batches shuffled.
    func batches(_ block: SequenceBlock, epoch: Int, block k: Int) -> [[Int]] {
        var random = RandomGenerator(seed: Self.epochSeed(config.seed, epoch, k == 0 ? 1 : Self.blockStream + UInt64(k)))
        var order = Array(0..<block.count)
        random.shuffle(&order)
        let size = config.batchSize
        var result: [[Int]] = []
        if config.bucketByLength {
            let pool = size * 50
            for start in stride(from: 0, to: order.count, by: pool) {
                let members = order[start..<min(order.count, start + pool)].sorted { block.length($0) > block.length($1) }
                for b in stride(from: 0, to: members.count, by: size) { result.append(Array(members[b..<min(members.count, b + size)])) }
            }
            random.shuffle(&result)
        } else {
            for b in stride(from: 0, to: order.count, by: size) { result.append(Array(order[b..<min(order.count, b + size)])) }
        }
        return result
    }

    /// Fills `batch` with documents of `block` (classify: labels; tag: tags as targets).
    func fill(_ batch: inout SequenceBatch, _ block: SequenceBlock, _ documents: ArraySlice<Int>) {
        batch.removeAll()
        for i in documents {
            let range = block.tokenRange(i)
            batch.append(block.ids[range])
            if model.task == .classify { batch.targets.append(block.labels[i]) } else { batch.targets.append(contentsOf: block.tags[range]) }
        }
    }

    /// One pass over a block's batches, numbered from `firstBatch` in the epoch; with `train`,
    /// a step per batch, skipping those before `from`. With `predictions`, each document's
    /// predictions go where `predictionStart` says (classify: its index; tag: its first token's).
    func runDocuments(_ block: SequenceBlock, _ batches: [[Int]], firstBatch: Int = 0, epoch: Int, train: Bool, totals start: BatchTotals = BatchTotals(),
                      from resumeSteps: Int = 0, predictions: UnsafeMutablePointer<Int32>? = nil, probabilities: UnsafeMutablePointer<Float>? = nil,
                      afterStep: ((RecurrentPosition) throws -> Void)? = nil) rethrows -> BatchTotals {
        var totals = start
        let n = workers.count
        var parts = [SequenceBatch](repeating: SequenceBatch(), count: n)
        let partTotals = UnsafeMutableBufferPointer<BatchTotals>.allocate(capacity: n)
        partTotals.initialize(repeating: BatchTotals())
        defer { partTotals.deallocate() }
        for (local, documents) in batches.enumerated() where firstBatch + local >= resumeSteps {
            let b = firstBatch + local
            // Split the batch into contiguous parts, one per worker.
            let shares = (0...n).map { documents.count * $0 / n }
            var targets = 0
            for w in 0..<n {
                fill(&parts[w], block, documents[shares[w]..<shares[w + 1]])
                targets += parts[w].targets.count
            }
            let scale = 1 / Float(max(1, targets))
            parameters.withUnsafeBufferPointer { p in
                let base = p.baseAddress!
                let work = { (w: Int) in
                    guard !parts[w].lengths.isEmpty else { partTotals[w] = BatchTotals(); return }
                    var random = RandomGenerator(seed: Self.epochSeed(self.config.seed, epoch, 2 + UInt64(b) &* 64 &+ UInt64(w)))
                    if train { self.workers[w].zeroGradients() }
                    partTotals[w] = self.workers[w].run(parts[w], parameters: base, backward: train, lossScale: scale, training: train, random: &random)
                }
                parallelFor(n, work)
            }
            for w in 0..<n {
                totals += partTotals[w]
                if let predictions, let probabilities, !parts[w].lengths.isEmpty {
                    let worker = workers[w]
                    for (i, d) in documents[shares[w]..<shares[w + 1]].enumerated() {
                        let start = model.task == .classify ? d : block.offsets[d]
                        let first = model.task == .classify ? i : parts[w].starts[i]
                        for k in 0..<(model.task == .classify ? 1 : parts[w].lengths[i]) {
                            predictions[start + k] = worker.predictions[first + k]
                            probabilities[start + k] = worker.predictedProbabilities[first + k]
                        }
                    }
                }
            }
            if train {
                step(workersUsed: n)
                try afterStep?(RecurrentPosition(epoch: epoch, steps: b + 1, totals: totals))
            }
        }
        return totals
    }

    /// Sums the workers' gradients into the first, clips, and updates the parameters. The
    /// embedding table's gradient is nonzero only in the rows a worker touched, so only
    /// those rows are summed; the update itself runs over every parameter (Adam moves rows
    /// without gradient too, as PyTorch's dense Adam does), split across the workers.
    func step(workersUsed n: Int) {
        let range = trainableRange
        let first = workers[0], g = first.gradients.pointer
        let rest = layout.afterEmbedding, e = model.embeddingDim
        for w in 1..<max(1, n) {
            let other = workers[w].gradients.pointer
            for k in rest { g[k] += other[k] }
            if !config.freezeEmbedding {
                for row in workers[w].touchedRows {
                    first.markTouched(row)
                    let offset = layout.embedding + Int(row) * e
                    for k in offset..<(offset + e) { g[k] += other[k] }
                }
            }
        }
        if config.optimizer.clipNorm != nil { optimizer.clip(g, range: range) }
        let parts = workers.count
        parameters.withUnsafeMutableBufferPointer { p in
            let base = p.baseAddress!
            optimizer.beginStep()
            parallelFor(parts) { part in
                let lower = range.lowerBound + range.count * part / parts, upper = range.lowerBound + range.count * (part + 1) / parts
                self.optimizer.update(base, g, range: lower..<upper)
            }
        }
    }

    /// A language-model pass over `part`: its documents' ids end to end, cut into
    /// `batchSize` columns and those into `bptt`-step segments; each worker keeps the hidden
    /// state of its columns from segment to segment (truncated BPTT: no gradient crosses a
    /// boundary). Each column reads the artifact through its own cursor.
    func runLanguageModel(part: SequenceSource.Part, epoch: Int, train: Bool, resume: RecurrentPosition? = nil,
                          afterStep: ((RecurrentPosition) throws -> Void)? = nil) throws -> BatchTotals {
        let count = tokenCount(part)
        // Training uses batch_size columns; evaluation keeps every column at least 1000
        // tokens long, so the state reset at each column's start costs little context.
        let columns = max(1, min(config.batchSize, count / (train ? 2 : 1000)))
        let columnLength = count / columns
        guard columnLength >= 2 else { return BatchTotals() }
        let key = ColumnLayout(part: part, columns: columns, length: columnLength)
        if columnStarts[key] == nil { columnStarts[key] = try source.positions((0..<columns).map { $0 * columnLength }, in: part) }
        // The cursors share the memory budget: each buffers `chunk` ids (4 bytes) and the
        // offsets and splits of `chunk` documents (9 bytes), at least 256 of each.
        let chunk = max(256, min(1 << 20, config.memoryBytes / 16 / columns))
        let cursors = columnStarts[key]!.map { PartTokenCursor(source, part: part, at: $0, chunk: chunk) }
        let n = min(workers.count, columns)
        let shares = (0...n).map { columns * $0 / n }
        let bptt = max(1, source.bptt)
        let skipped = resume?.steps ?? 0
        // Each column's next input token (the last target of the segment before).
        var pending = [Int32](repeating: 0, count: columns)
        var scratch: [Int32] = []
        for c in 0..<columns {
            try cursors[c].skip(skipped * bptt)
            scratch.removeAll(keepingCapacity: true)
            try cursors[c].take(1, appendingTo: &scratch)
            pending[c] = scratch[0]
        }
        let hidden = model.recurrent.hiddenSize, states = model.recurrent.layers * model.recurrent.directions
        var carriedHidden = resume?.carriedHidden ?? (0..<n).map { w in [Float](repeating: 0, count: states * (shares[w + 1] - shares[w]) * hidden) }
        var carriedCell = resume?.carriedCell ?? carriedHidden
        var parts = [SequenceBatch](repeating: SequenceBatch(), count: n)
        let partTotals = UnsafeMutableBufferPointer<BatchTotals>.allocate(capacity: n)
        partTotals.initialize(repeating: BatchTotals())
        defer { partTotals.deallocate() }
        var totals = resume?.totals ?? BatchTotals()
        var segment = skipped
        var inputs: [Int32] = []
        for start in stride(from: skipped * bptt, to: columnLength - 1, by: bptt) {
            defer { segment += 1 }
            let steps = min(bptt, columnLength - 1 - start)
            var targets = 0
            for w in 0..<n {
                parts[w].removeAll()
                for c in shares[w]..<shares[w + 1] {
                    scratch.removeAll(keepingCapacity: true)
                    try cursors[c].take(steps, appendingTo: &scratch)
                    inputs.removeAll(keepingCapacity: true)
                    inputs.append(pending[c])
                    inputs.append(contentsOf: scratch[0..<(steps - 1)])
                    pending[c] = scratch[steps - 1]
                    parts[w].append(inputs)
                    parts[w].targets.append(contentsOf: scratch)
                }
                targets += parts[w].targets.count
            }
            let scale = 1 / Float(max(1, targets))
            parameters.withUnsafeBufferPointer { p in
                let base = p.baseAddress!
                let work = { (w: Int) in
                    var random = RandomGenerator(seed: Self.epochSeed(self.config.seed, epoch, 2 + UInt64(segment) &* 64 &+ UInt64(w)))
                    let worker = self.workers[w]
                    if train { worker.zeroGradients() }
                    partTotals[w] = carriedHidden[w].withUnsafeBufferPointer { h in
                        carriedCell[w].withUnsafeBufferPointer { c in
                            worker.run(parts[w], parameters: base, backward: train, lossScale: scale, training: train,
                                       initialHidden: h.baseAddress, initialCell: self.model.recurrent.cell.hasCellState ? c.baseAddress : nil, random: &random)
                        }
                    }
                }
                parallelFor(n, work)
            }
            for w in 0..<n {
                totals += partTotals[w]
                let count = carriedHidden[w].count
                carriedHidden[w].withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: workers[w].network.finalHidden.pointer, count: count) }
                if model.recurrent.cell.hasCellState {
                    carriedCell[w].withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: workers[w].network.finalCell.pointer, count: count) }
                }
            }
            if train {
                step(workersUsed: n)
                try afterStep?(RecurrentPosition(epoch: epoch, steps: segment + 1, totals: totals, carriedHidden: carriedHidden, carriedCell: carriedCell))
            }
        }
        return totals
    }

    /// Loss and accuracy on `part`'s documents, read a block at a time; `onPrediction`, when
    /// given, receives the model's prediction for every target in document order (classify:
    /// one per document; tag: one per token; lm: none, the loss gives the perplexity), a block
    /// at a time, so nothing grows with the corpus.
    public func evaluate(part: SequenceSource.Part, onPrediction: ((RecurrentPrediction) throws -> Void)? = nil) throws -> RecurrentEvaluationTotals {
        var result = RecurrentEvaluationTotals()
        if model.task == .lm {
            result.totals = try runLanguageModel(part: part, epoch: 0, train: false)
            result.tokens = tokenCount(part)
            result.documents = documentCount(part)
            return result
        }
        var predictions: [Int32] = [], probabilities: [Float] = []
        for range in evaluationBlocks {
            let block = try source.read(documents: range) { _, training in part.includes(training: training) }
            guard block.count > 0 else { continue }
            result.documents += block.count
            result.tokens += block.ids.count
            // Longest first in batches of up to 256: fast, and the order does not change the results.
            let sorted = (0..<block.count).sorted { block.length($0) > block.length($1) }
            let size = max(config.batchSize, 256)
            let batches = stride(from: 0, to: sorted.count, by: size).map { Array(sorted[$0..<min(sorted.count, $0 + size)]) }
            guard let onPrediction else {
                result.totals = runDocuments(block, batches, epoch: 0, train: false, totals: result.totals)
                continue
            }
            let count = model.task == .classify ? block.count : block.ids.count
            predictions = [Int32](repeating: 0, count: count)
            probabilities = [Float](repeating: 0, count: count)
            result.totals = predictions.withUnsafeMutableBufferPointer { p in
                probabilities.withUnsafeMutableBufferPointer { q in
                    runDocuments(block, batches, epoch: 0, train: false, totals: result.totals, predictions: p.baseAddress, probabilities: q.baseAddress)
                }
            }
            if model.task == .classify {
                for i in 0..<block.count {
                    try onPrediction(RecurrentPrediction(item: block.documents[i], truth: block.labels[i], predicted: predictions[i], probability: probabilities[i]))
                }
            } else {
                var t = 0
                for i in 0..<block.count {
                    for item in block.firstTokens[i]..<(block.firstTokens[i] + block.length(i)) {
                        try onPrediction(RecurrentPrediction(item: item, truth: block.tags[t], predicted: predictions[t], probability: probabilities[t]))
                        t += 1
                    }
                }
            }
        }
        return result
    }
}

/// What an evaluation pass found: the totals, and the documents and tokens it read.
public struct RecurrentEvaluationTotals: Sendable {
    public var totals = BatchTotals()
    public var documents = 0
    public var tokens = 0
}

/// One prediction of an evaluation pass: its item (classify: the document's index; tag: the
/// token's place in the artifact's stream), true class, predicted class and that class's
/// probability.
public struct RecurrentPrediction: Sendable, Equatable {
    public var item: Int
    public var truth: Int32
    public var predicted: Int32
    public var probability: Float
}

/// Where training stands inside an epoch: the epoch under way, the optimiser steps done in
/// it, the totals so far, and for language models each worker's carried state.
public struct RecurrentPosition: Sendable, Equatable {
    public var epoch: Int
    public var steps: Int
    public var totals: BatchTotals
    public var carriedHidden: [[Float]]?
    public var carriedCell: [[Float]]?

    public init(epoch: Int, steps: Int, totals: BatchTotals, carriedHidden: [[Float]]? = nil, carriedCell: [[Float]]? = nil) {
        self.epoch = epoch
        self.steps = steps
        self.totals = totals
        self.carriedHidden = carriedHidden
        self.carriedCell = carriedCell
    }
}

/// Training produced a non-finite loss.
public struct RecurrentDiverged: Error, CustomStringConvertible {
    public let epoch: Int
    public var description: String {
        "training diverged in epoch \(epoch): the loss is NaN or infinite; lower lr or set clip_norm (the parameters of epoch \(epoch - 1) are kept)"
    }
}
