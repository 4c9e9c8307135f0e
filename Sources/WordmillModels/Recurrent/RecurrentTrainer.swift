import Foundation
import WordmillData
import WordmillNumerics

/// Trains a recurrent model on a `sequences` dataset: mini-batches split over worker
/// threads (each with its own network and gradients, summed before the step), norm
/// clipping, SGD or Adam, a validation pass per epoch, and a checkpoint hook per epoch.
///
/// Everything random in epoch e (batch order, dropout masks) comes from generators seeded
/// by (seed, e), so a run resumed from the checkpoint after epoch e continues exactly as
/// the uninterrupted run would.
public final class RecurrentTrainer {
    public let model: RecurrentModelConfig
    public let config: RecurrentTrainingConfig
    public let dataset: SequenceDataset
    public let layout: RecurrentModelLayout
    /// The model's parameters (the layout's flat vector).
    public var parameters: [Float]
    public let optimizer: Optimizer
    let workers: [RecurrentWorker]
    let trainDocuments: [Int]
    let testDocuments: [Int]
    /// Testing hook: the loss of this epoch is taken as NaN (the fault-injection suite).
    public var injectNaNAtEpoch: Int?
    /// Targets per token (tag: the tags; lm: the next id), aligned with `dataset.ids`.
    let tokenTargets: [Int32]

    public init(model: RecurrentModelConfig, config: RecurrentTrainingConfig, dataset: SequenceDataset) {
        self.model = model
        self.config = config
        self.dataset = dataset
        layout = RecurrentModelLayout(model)
        parameters = [Float](repeating: 0, count: layout.count)
        optimizer = Optimizer(config: config.optimizer, count: layout.count)
        workers = (0..<max(1, config.threads)).map { _ in
            let worker = RecurrentWorker(config: model)
            worker.trainEmbedding = !config.freezeEmbedding
            return worker
        }
        trainDocuments = (0..<dataset.documents).filter { dataset.labels.isTraining($0) }
        testDocuments = (0..<dataset.documents).filter { !dataset.labels.isTraining($0) }
        switch model.task {
        case .tag: tokenTargets = dataset.tags!.tags.map { Int32($0) }
        case .lm: tokenTargets = []
        case .classify: tokenTargets = []
        }
    }

    public var trainableRange: Range<Int> { config.freezeEmbedding ? layout.afterEmbedding : 0..<layout.count }
    public var trainingDocumentCount: Int { trainDocuments.count }
    public var testDocumentCount: Int { testDocuments.count }

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
        for (id, word) in dataset.vocabulary.enumerated() where id != Int(SequenceDataset.padId) {
            guard let v = vector(word) else { continue }
            for k in 0..<dim { parameters[layout.embedding + id * dim + k] = v[k] }
            matched += 1
        }
        return matched
    }

    static func epochSeed(_ seed: UInt64, _ epoch: Int, _ stream: UInt64) -> UInt64 {
        seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(epoch) &* 0xD1B5_4A32_D192_ED03 &+ stream
    }

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
                totals = try runLanguageModel(documents: trainDocuments, epoch: epoch, train: true, resume: within, afterStep: offer)
            } else {
                totals = try runDocuments(batches(epoch: epoch), epoch: epoch, train: true, resume: within, afterStep: offer)
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
            var record = RecurrentEpochRecord(epoch: epoch, loss: loss, tokens: trainingTokens(totals), seconds: seconds)
            if !testDocuments.isEmpty {
                let validation = evaluate(documents: testDocuments)
                record.validationLoss = validation.totals.loss / Double(max(1, validation.totals.targets))
                if model.task != .lm { record.validationAccuracy = Double(validation.totals.correct) / Double(max(1, validation.totals.targets)) }
            }
            try onEpoch(record)
        }
    }

    private func trainingTokens(_ totals: BatchTotals) -> Int {
        model.task == .classify ? trainDocuments.reduce(0) { $0 + dataset.offsets[$1 + 1] - dataset.offsets[$1] } : totals.targets
    }

    /// The epoch's batches of training documents.
    func batches(epoch: Int) -> [[Int]] {
        var random = RandomGenerator(seed: Self.epochSeed(config.seed, epoch, 1))
        var order = trainDocuments
        random.shuffle(&order)
        let size = config.batchSize
        var result: [[Int]] = []
        if config.bucketByLength {
            let pool = size * 50
            for start in stride(from: 0, to: order.count, by: pool) {
                let members = order[start..<min(order.count, start + pool)].sorted { length($0) > length($1) }
                for b in stride(from: 0, to: members.count, by: size) { result.append(Array(members[b..<min(members.count, b + size)])) }
            }
            random.shuffle(&result)
        } else {
            for b in stride(from: 0, to: order.count, by: size) { result.append(Array(order[b..<min(order.count, b + size)])) }
        }
        return result
    }

    @inline(__always) func length(_ document: Int) -> Int { dataset.offsets[document + 1] - dataset.offsets[document] }

    /// Fills `batch` with documents (classify: labels; tag: tags as targets).
    func fill(_ batch: inout SequenceBatch, _ documents: ArraySlice<Int>) {
        batch.removeAll()
        for d in documents {
            let range = dataset.offsets[d]..<dataset.offsets[d + 1]
            batch.append(dataset.ids[range])
            if model.task == .classify { batch.targets.append(Int32(dataset.labels.labels[d])) } else { batch.targets.append(contentsOf: tokenTargets[range]) }
        }
    }

    /// One pass over document batches; with `train`, a step per batch.
    func runDocuments(_ batches: [[Int]], epoch: Int, train: Bool, predictions: UnsafeMutablePointer<Int32>? = nil,
                      probabilities: UnsafeMutablePointer<Float>? = nil, predictionStart: [Int: Int] = [:],
                      resume: RecurrentPosition? = nil, afterStep: ((RecurrentPosition) throws -> Void)? = nil) rethrows -> BatchTotals {
        var totals = resume?.totals ?? BatchTotals()
        let n = workers.count
        var parts = [SequenceBatch](repeating: SequenceBatch(), count: n)
        let partTotals = UnsafeMutableBufferPointer<BatchTotals>.allocate(capacity: n)
        partTotals.initialize(repeating: BatchTotals())
        defer { partTotals.deallocate() }
        for (b, documents) in batches.enumerated() where b >= resume?.steps ?? 0 {
            // Split the batch into contiguous parts, one per worker.
            let shares = (0...n).map { documents.count * $0 / n }
            var targets = 0
            for w in 0..<n {
                fill(&parts[w], documents[shares[w]..<shares[w + 1]])
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
                        let start = predictionStart[d]!
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

    /// A language-model pass: the documents' ids end to end, cut into `batchSize` columns and
    /// those into `bptt`-step segments; each worker keeps the hidden state of its columns
    /// from segment to segment (truncated BPTT: no gradient crosses a boundary).
    func runLanguageModel(documents: [Int], epoch: Int, train: Bool, resume: RecurrentPosition? = nil,
                          afterStep: ((RecurrentPosition) throws -> Void)? = nil) rethrows -> BatchTotals {
        var stream: [Int32] = []
        for d in documents { stream.append(contentsOf: dataset.ids[dataset.offsets[d]..<dataset.offsets[d + 1]]) }
        // Training uses batch_size columns; evaluation keeps every column at least 1000
        // tokens long, so the state reset at each column's start costs little context.
        let columns = max(1, min(config.batchSize, stream.count / (train ? 2 : 1000)))
        let columnLength = stream.count / columns
        guard columnLength >= 2 else { return BatchTotals() }
        let n = min(workers.count, columns)
        let shares = (0...n).map { columns * $0 / n }
        let bptt = max(1, dataset.bptt)
        let hidden = model.recurrent.hiddenSize, states = model.recurrent.layers * model.recurrent.directions
        var carriedHidden = resume?.carriedHidden ?? (0..<n).map { w in [Float](repeating: 0, count: states * (shares[w + 1] - shares[w]) * hidden) }
        var carriedCell = resume?.carriedCell ?? carriedHidden
        var parts = [SequenceBatch](repeating: SequenceBatch(), count: n)
        let partTotals = UnsafeMutableBufferPointer<BatchTotals>.allocate(capacity: n)
        partTotals.initialize(repeating: BatchTotals())
        defer { partTotals.deallocate() }
        var totals = resume?.totals ?? BatchTotals()
        var segment = 0
        for start in stride(from: 0, to: columnLength - 1, by: bptt) {
            defer { segment += 1 }
            if segment < resume?.steps ?? 0 { continue }
            let steps = min(bptt, columnLength - 1 - start)
            var targets = 0
            for w in 0..<n {
                parts[w].removeAll()
                for c in shares[w]..<shares[w + 1] {
                    let base = c * columnLength + start
                    parts[w].append(stream[base..<(base + steps)])
                    parts[w].targets.append(contentsOf: stream[(base + 1)..<(base + steps + 1)])
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

    /// Loss and accuracy on `documents`, and the model's prediction for every target
    /// (classify: one per document; tag: one per token, documents in the given order; lm:
    /// none, the loss gives the perplexity).
    public func evaluate(documents: [Int]) -> (totals: BatchTotals, predictions: [Int32], probabilities: [Float]) {
        if model.task == .lm { return (runLanguageModel(documents: documents, epoch: 0, train: false), [], []) }
        var starts: [Int: Int] = [:]
        var count = 0
        for d in documents {
            starts[d] = count
            count += model.task == .classify ? 1 : length(d)
        }
        // Longest first in batches of up to 256: fast, and the order does not change the results.
        let sorted = documents.sorted { length($0) > length($1) }
        let size = max(config.batchSize, 256)
        let batches = stride(from: 0, to: sorted.count, by: size).map { Array(sorted[$0..<min(sorted.count, $0 + size)]) }
        var predictions = [Int32](repeating: 0, count: count)
        var probabilities = [Float](repeating: 0, count: count)
        let totals = predictions.withUnsafeMutableBufferPointer { p in
            probabilities.withUnsafeMutableBufferPointer { q in
                runDocuments(batches, epoch: 0, train: false, predictions: p.baseAddress, probabilities: q.baseAddress, predictionStart: starts)
            }
        }
        return (totals, predictions, probabilities)
    }
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
