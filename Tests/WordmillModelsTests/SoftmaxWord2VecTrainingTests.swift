import Foundation
import Testing
import WordmillModels
import WordmillNumerics

@Suite struct SoftmaxWord2VecTrainingTests {
    /// The lecture's shape: V = 60, D = 256, batch 4, lr 5e-4, 5 epochs, 64 CBOW examples.
    @Test func lossFallsWithTheLectureSettings() throws {
        let config = SoftmaxWord2VecConfig(vocabularySize: 60, dim: 256, lr: 5e-4, batchSize: 4, epochs: 5, seed: 1)
        var reported: [Int] = []
        let losses = try SoftmaxWord2Vec(config: config).train(examples: lectureShapedExamples(seed: 2)) { epoch, _ in
            reported.append(epoch)
        }
        #expect(losses.count == 5)
        #expect(reported == [1, 2, 3, 4, 5])
        #expect(losses.allSatisfy { $0.isFinite })
        #expect(losses.last! < losses.first!)
    }

    /// Skip-gram pairs where word i always predicts word (i + 1) % 8, lr 0.1.
    @Test func learnsAPlantedMapping() throws {
        let inputs = (0..<64).map { Int32($0 % 8) }
        let targets = inputs.map { ($0 + 1) % 8 }
        let config = SoftmaxWord2VecConfig(vocabularySize: 8, dim: 8, lr: 0.1, batchSize: 8, epochs: 100, seed: 4)
        let examples = Word2VecExamples(inputs: inputs, width: 1, targets: targets)
        let model = SoftmaxWord2Vec(config: config)
        let losses = try model.train(examples: examples)
        #expect(losses.first! > 1.5)
        #expect(losses.last! < 0.1 * losses.first!)
        #expect(zip(losses, losses.dropFirst()).allSatisfy { $1 < $0 })
    }

    @Test func sameSeedSameParameters() throws {
        func train(shuffle: Bool, seed: UInt64 = 7) throws -> [Float] {
            let config = SoftmaxWord2VecConfig(vocabularySize: 60, dim: 16, lr: 0.05, batchSize: 4, epochs: 3, shuffle: shuffle, seed: seed)
            let model = SoftmaxWord2Vec(config: config)
            _ = try model.train(examples: lectureShapedExamples(seed: 5, count: 30))
            return model.inputVectors + model.outputWeights + model.outputBias
        }
        #expect(try train(shuffle: false) == train(shuffle: false))
        #expect(try train(shuffle: true) == train(shuffle: true))
        #expect(try train(shuffle: true) != train(shuffle: false))
        #expect(try train(shuffle: false) != train(shuffle: false, seed: 8))
    }

    /// Without shuffle the batches are 0..<4, 4..<8, … with a smaller last one (10 = 4 + 4 + 2);
    /// with it, each epoch's order is `shuffle` of 0..<n from the generator that made the parameters.
    @Test func batchOrderMatchesAManualReplay() throws {
        let examples = lectureShapedExamples(seed: 6, count: 10, vocabularySize: 12)
        for shuffle in [false, true] {
            let config = SoftmaxWord2VecConfig(vocabularySize: 12, dim: 5, lr: 0.2, batchSize: 4, epochs: 3, shuffle: shuffle, seed: 13)
            let trained = SoftmaxWord2Vec(config: config)
            let manual = SoftmaxWord2Vec(config: config, inputVectors: trained.inputVectors, outputWeights: trained.outputWeights,
                                         outputBias: trained.outputBias)
            let losses = try trained.train(examples: examples)
            var g = RandomGenerator(seed: 13)
            for _ in 0..<(12 * 5) { _ = g.nextNormal() }
            for _ in 0..<(12 * 5 + 12) { _ = g.nextFloat() }
            var orders: [[Int]] = []
            for epoch in 0..<3 {
                var order = Array(0..<10)
                if shuffle { g.shuffle(&order) }
                orders.append(order)
                var total = 0.0
                for start in stride(from: 0, to: 10, by: 4) {
                    total += manual.forwardBackward(examples: examples, rows: order[start..<min(10, start + 4)])
                    manual.sgdStep(lr: 0.2)
                }
                #expect(total / 3 == losses[epoch])
            }
            #expect(manual.inputVectors == trained.inputVectors)
            #expect(manual.outputWeights == trained.outputWeights)
            #expect(manual.outputBias == trained.outputBias)
            #expect(shuffle == (orders[0] != Array(0..<10)))
            if shuffle { #expect(orders[0] != orders[1]) }
        }
    }

    @Test func nonFiniteLossStopsBeforeTheStep() {
        let config = SoftmaxWord2VecConfig(vocabularySize: 3, dim: 2, lr: 0.1, batchSize: 1, epochs: 2)
        // Example 0 is fine; example 1 reads the NaN row, so batch 2 of epoch 1 fails.
        let model = SoftmaxWord2Vec(config: config, inputVectors: [1, 0, .nan, 0, 0, 0], outputWeights: [1, 0, 0, 1, 1, 1], outputBias: [0, 0, 0])
        let examples = Word2VecExamples(inputs: [0, 1], width: 1, targets: [1, 2])
        model.forwardBackward(examples: examples, rows: [0])
        model.sgdStep(lr: 0.1)
        let afterFirst = (model.inputVectors, model.outputWeights, model.outputBias)
        let fresh = SoftmaxWord2Vec(config: config, inputVectors: [1, 0, .nan, 0, 0, 0], outputWeights: [1, 0, 0, 1, 1, 1], outputBias: [0, 0, 0])
        do {
            _ = try fresh.train(examples: examples)
            Issue.record("training on a NaN embedding did not throw")
        } catch let error as TrainingError {
            guard case .nonFiniteLoss(let epoch, let batch, let loss) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(epoch == 1 && batch == 2 && loss.isNaN)
            #expect(error.description.contains("epoch 1, batch 2"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
        #expect(fresh.outputWeights == afterFirst.1)
        #expect(fresh.outputBias == afterFirst.2)
        #expect(fresh.inputVectors[0] == afterFirst.0[0] && fresh.inputVectors[1] == afterFirst.0[1])
        #expect(fresh.inputVectors[2].isNaN && fresh.inputVectors[3...] == afterFirst.0[3...])
    }

    @Test func badInputsAreErrors() throws {
        let config = SoftmaxWord2VecConfig(vocabularySize: 3, dim: 2, lr: 0.1, batchSize: 2, epochs: 1)
        let model = SoftmaxWord2Vec(config: config)
        #expect(throws: TrainingError.noExamples) { try model.train(examples: Word2VecExamples(inputs: [], width: 2, targets: [])) }
        #expect(throws: TrainingError.invalidID(example: 1, id: 3, vocabularySize: 3)) {
            try model.train(examples: Word2VecExamples(inputs: [0, -1, 1, 3], width: 2, targets: [0, 1]))
        }
        #expect(throws: TrainingError.invalidID(example: 0, id: -1, vocabularySize: 3)) {
            try model.train(examples: Word2VecExamples(inputs: [0, -1], width: 2, targets: [-1]))
        }
        #expect(throws: TrainingError.invalidID(example: 0, id: -2, vocabularySize: 3)) {
            try model.train(examples: Word2VecExamples(inputs: [-2], width: 1, targets: [0]))
        }
        let none = SoftmaxWord2Vec(config: SoftmaxWord2VecConfig(vocabularySize: 3, dim: 2, lr: 0.1, batchSize: 2, epochs: 0))
        #expect(try none.train(examples: Word2VecExamples(inputs: [0], width: 1, targets: [1])) == [])
    }
}
