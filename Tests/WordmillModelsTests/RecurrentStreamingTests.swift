import Foundation
import Testing
import WordmillArtifacts
import WordmillData
import WordmillTestSupport
@testable import WordmillModels

/// Recurrent training reads its `sequences` artifact in pieces: blocks of documents and
/// language-model cursors must see exactly the documents and tokens the whole arrays hold,
/// and the size of the pieces must not change what a language model learns.
@Suite struct RecurrentStreamingTests {
    /// 300 documents of 1–12 ids (3–12), a class per document tied to its first id, tags per
    /// token, every fifth document held out — written in 256-byte frames, so every section
    /// spans many frames.
    static func dataset(task: RecurrentTask) -> SequenceDataset {
        var state: UInt64 = 11
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33) % n
        }
        var offsets = [0], ids: [Int32] = [], labels: [UInt32] = [], tags: [UInt32] = []
        for _ in 0..<300 {
            let length = 1 + next(12)
            for _ in 0..<length { ids.append(Int32(3 + next(10))) }
            labels.append(UInt32(ids[offsets.last!] % 3))
            offsets.append(ids.count)
        }
        for id in ids { tags.append(UInt32(id % 2)) }
        let split = (0..<300).map { UInt8($0 % 5 == 4 ? 1 : 0) }
        let vocabulary = ["<pad>", "<unk>", "<eos>"] + (3..<13).map { "w\($0)" }
        return SequenceDataset(task: task.rawValue, vocabulary: vocabulary, offsets: offsets, ids: ids,
                               labels: DocumentLabels(classes: task == .classify ? ["a", "b", "c"] : [], labels: task == .classify ? labels : [], split: split),
                               tags: task == .tag ? TokenTags(classes: ["even", "odd"], tags: tags) : nil, bptt: 5)
    }

    static func write(_ dataset: SequenceDataset, in directory: TemporaryDirectory) throws -> SequenceSource {
        let path = directory.file("sequences-\(dataset.task).wma")
        let writer = try ArtifactWriter(path: path, frameBytes: 256)
        try dataset.write(to: writer)
        try writer.commit(header: ArtifactHeader(kind: SequenceDataset.artifactKind, fingerprint: "f", stage: "sequences", op: "sequences",
                                                 metadata: ["task": .string(dataset.task), "bptt": .integer(dataset.bptt)]))
        return try SequenceSource(reader: ArtifactReader(path: path))
    }

    /// The tokens of `part`'s documents end to end, from the whole arrays.
    static func stream(_ d: SequenceDataset, _ part: SequenceSource.Part) -> [Int32] {
        (0..<d.documents).filter { part.includes(training: d.labels.isTraining($0)) }.flatMap { Array(d.document($0)) }
    }

    @Test(arguments: [SequenceSource.Part.training, .test, .all])
    func cursorsReadEveryPartsStreamFromAnyPosition(part: SequenceSource.Part) throws {
        let directory = try TemporaryDirectory()
        let dataset = Self.dataset(task: .lm)
        let source = try Self.write(dataset, in: directory)
        let expected = Self.stream(dataset, part)
        let starts = [0, 1, 17, expected.count / 2, expected.count - 9]
        let positions = try source.positions(starts, in: part)
        for (start, position) in zip(starts, positions) {
            // Buffers of 7 ids and 7 documents: every read crosses documents, frames and refills.
            let cursor = PartTokenCursor(source, part: part, at: position, chunk: 7)
            var got: [Int32] = []
            var at = start, piece = 1
            while at < expected.count {
                let n = min(piece, expected.count - at)
                if piece % 4 == 3 { try cursor.skip(n); got += expected[at..<(at + n)] } else { try cursor.take(n, appendingTo: &got) }
                at += n
                piece += 1
            }
            #expect(got == Array(expected[start...]), "part \(part) from \(start)")
            #expect(throws: ArtifactError.self) { try cursor.take(1, appendingTo: &got) }
        }
    }

    @Test func blocksHoldTheDocumentsTheirFilterKeeps() throws {
        let directory = try TemporaryDirectory()
        let dataset = Self.dataset(task: .tag)
        let source = try Self.write(dataset, in: directory)
        let block = try source.read(documents: 40..<230) { d, training in !training || d % 3 == 0 }
        let kept = (40..<230).filter { !dataset.labels.isTraining($0) || $0 % 3 == 0 }
        #expect(block.documents == kept)
        #expect(block.firstTokens == kept.map { dataset.offsets[$0] })
        #expect(block.ids == kept.flatMap { Array(dataset.document($0)) })
        #expect(block.tags == kept.flatMap { d in dataset.tags!.tags[dataset.offsets[d]..<dataset.offsets[d + 1]].map { Int32($0) } })
        #expect(block.offsets.count == kept.count + 1 && block.offsets.last == block.ids.count)
    }

    static func trainer(_ source: SequenceSource, task: RecurrentTask, memoryBytes: Int) throws -> RecurrentTrainer {
        let shape = RecurrentShape(cell: .lstm, inputSize: 4, hiddenSize: 6)
        let model = RecurrentModelConfig(task: task, vocabularySize: source.vocabulary.count, recurrent: shape,
                                         outputs: task == .lm ? source.vocabulary.count : task == .tag ? 2 : 3)
        let config = RecurrentTrainingConfig(epochs: 2, batchSize: 8, seed: 3, optimizer: OptimizerConfig(kind: .adam, learningRate: 0.01), memoryBytes: memoryBytes)
        let trainer = try RecurrentTrainer(model: model, config: config, source: source)
        trainer.initialize()
        return trainer
    }

    /// What training leaves: the parameters and the optimiser's state.
    struct State: Equatable {
        var parameters: [UInt32], first: [UInt32], second: [UInt32], steps: Int
        init(_ t: RecurrentTrainer) {
            parameters = t.parameters.map(\.bitPattern)
            first = t.optimizer.first.map(\.bitPattern)
            second = t.optimizer.second.map(\.bitPattern)
            steps = t.optimizer.steps
        }
    }

    /// Trains two epochs; returns the final state, the records, and the state and position
    /// after step `stopAt` of epoch 2.
    static func train(_ trainer: RecurrentTrainer, stopAt: Int) throws -> (State, [RecurrentEpochRecord], (State, RecurrentPosition)?) {
        var records: [RecurrentEpochRecord] = []
        var captured: (State, RecurrentPosition)?
        trainer.checkpointInterval = 0
        try trainer.train(onEpoch: { records.append($0) }, onPosition: { at in
            if at.epoch == 2 && at.steps == stopAt { captured = (State(trainer), at) }
        })
        return (State(trainer), records, captured)
    }

    static func resume(_ trainer: RecurrentTrainer, from state: State, at position: RecurrentPosition) throws -> State {
        trainer.parameters = state.parameters.map(Float.init(bitPattern:))
        trainer.optimizer.first = state.first.map(Float.init(bitPattern:))
        trainer.optimizer.second = state.second.map(Float.init(bitPattern:))
        trainer.optimizer.steps = state.steps
        try trainer.train(startEpoch: 1, resume: position, onEpoch: { _ in })
        return State(trainer)
    }

    @Test(arguments: [RecurrentTask.classify, .tag])
    func documentBlocksCoverEveryTrainingDocumentOnceAndResumeExactly(task: RecurrentTask) throws {
        let directory = try TemporaryDirectory()
        let source = try Self.write(Self.dataset(task: task), in: directory)
        let whole = try Self.trainer(source, task: task, memoryBytes: 1 << 20)
        #expect(whole.trainingBlockCount == 1)
        let blocked = try Self.trainer(source, task: task, memoryBytes: 2000)
        #expect(blocked.trainingBlockCount >= 4, "\(blocked.trainingBlockCount) blocks")
        // Every training document (classify) or token (tag) is a target once per epoch.
        var lastTotals: [Int: BatchTotals] = [:]
        blocked.checkpointInterval = 0
        try blocked.train(onEpoch: { _ in }, onPosition: { lastTotals[$0.epoch] = $0.totals })
        let expected = task == .classify ? blocked.trainingDocumentCount : blocked.trainingTokens
        #expect(lastTotals[1]?.targets == expected && lastTotals[2]?.targets == expected)
        // Stopped inside a later block of epoch 2 and resumed: the same weights as straight through.
        let firstBlock = blocked.batchCount(documents: blocked.blockSizes(epoch: 2)[0])
        let (final, records, stopped) = try Self.train(try Self.trainer(source, task: task, memoryBytes: 2000), stopAt: firstBlock + 2)
        let resumed = try Self.resume(try Self.trainer(source, task: task, memoryBytes: 2000), from: stopped!.0, at: stopped!.1)
        #expect(resumed == final, "resumed training differs from straight through")
        #expect(records.count == 2 && records.allSatisfy { $0.loss.isFinite && $0.validationAccuracy != nil })
    }

    /// A multi-label corpus read a block at a time gives each kept document the classes the
    /// whole artifact gives it, and `blocks` cuts within the budget without losing a document.
    @Test func blocksCarryEachDocumentsClasses() throws {
        let directory = try TemporaryDirectory()
        var dataset = Self.dataset(task: .classify)
        var moreOffsets: [UInt64] = [0], more: [UInt32] = []
        for d in 0..<dataset.documents {
            for c in 0..<UInt32(d % 3) where c != dataset.labels.labels[d] { more.append(c) }
            moreOffsets.append(UInt64(more.count))
        }
        dataset.labels = DocumentLabels(classes: dataset.labels.classes, labels: dataset.labels.labels, split: dataset.labels.split,
                                        moreOffsets: moreOffsets, more: more)
        let source = try Self.write(dataset, in: directory)
        #expect(source.isMultiLabel)
        let bytes = { (tokens: Int, training: Bool) in training ? 4 * tokens : 0 }
        let blocks = try source.blocks(of: 7..<290, budget: 64, bytes: bytes)
        #expect(blocks.count > 10 && blocks.first?.lowerBound == 7 && blocks.last?.upperBound == 290)
        #expect(zip(blocks, blocks.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
        var seen: [Int] = []
        for range in blocks {
            let block = try source.read(documents: range) { _, training in training }
            let used = (0..<block.count).reduce(0) { $0 + 4 * block.length($1) }
            #expect(used <= 64 || block.count == 1)
            for i in 0..<block.count {
                let d = block.documents[i]
                seen.append(d)
                #expect(block.labelSet(i) == dataset.labels.labelSet(d).map { Int32($0) })
                #expect(Array(block.ids[block.tokenRange(i)]) == Array(dataset.document(d)))
            }
        }
        #expect(seen == (7..<290).filter { dataset.labels.isTraining($0) })
    }

    @Test(arguments: [RecurrentTask.classify, .tag])
    func evaluationInBlocksGivesTheSamePredictions(task: RecurrentTask) throws {
        let directory = try TemporaryDirectory()
        let dataset = Self.dataset(task: task)
        let source = try Self.write(dataset, in: directory)
        var wholePredictions: [RecurrentPrediction] = [], blockedPredictions: [RecurrentPrediction] = []
        let whole = try Self.trainer(source, task: task, memoryBytes: 1 << 20).evaluate(part: .test) { wholePredictions.append($0) }
        let blockedTrainer = try Self.trainer(source, task: task, memoryBytes: 700)
        #expect(blockedTrainer.evaluationBlocks.count >= 4)
        let blocked = try blockedTrainer.evaluate(part: .test) { blockedPredictions.append($0) }
        let test = (0..<dataset.documents).filter { !dataset.labels.isTraining($0) }
        #expect(whole.documents == test.count && blocked.documents == test.count)
        #expect(blockedPredictions == wholePredictions)
        #expect(blocked.totals.correct == whole.totals.correct && blocked.totals.targets == whole.totals.targets)
        #expect(abs(blocked.totals.loss - whole.totals.loss) < 1e-9 * whole.totals.loss)
        // The predictions' correct count is the totals'.
        #expect(wholePredictions.filter { $0.truth == $0.predicted }.count == whole.totals.correct)
        let items = wholePredictions.map(\.item), truth = wholePredictions.map(\.truth)
        if task == .classify {
            #expect(items == test && truth == test.map { Int32(dataset.labels.labels[$0]) })
        } else {
            let tokens = test.flatMap { dataset.offsets[$0]..<dataset.offsets[$0 + 1] }
            #expect(items == tokens && truth == tokens.map { Int32(dataset.tags!.tags[$0]) })
        }
    }

    @Test func languageModelLearnsTheSameWhateverItsBuffersHold() throws {
        let directory = try TemporaryDirectory()
        let source = try Self.write(Self.dataset(task: .lm), in: directory)
        let (wide, wideRecords, _) = try Self.train(try Self.trainer(source, task: .lm, memoryBytes: 64 << 20), stopAt: 0)
        // 256-id buffers (the least) for 8 columns: the cursors refill and reload documents many times.
        let (narrow, narrowRecords, stopped) = try Self.train(try Self.trainer(source, task: .lm, memoryBytes: 1), stopAt: 7)
        #expect(narrow == wide, "the cursors' buffer size changed what the model learned")
        #expect(narrowRecords.map(\.validationLoss) == wideRecords.map(\.validationLoss))
        #expect(wideRecords.allSatisfy { $0.validationLoss != nil && $0.tokens > 0 })
        let resumed = try Self.resume(try Self.trainer(source, task: .lm, memoryBytes: 1), from: stopped!.0, at: stopped!.1)
        #expect(resumed == narrow, "a language model resumed inside an epoch differs from straight through")
    }
}
