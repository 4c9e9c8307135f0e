import Foundation
import Testing
import WordmillModels
import WordmillNumerics
import WordmillSupport
import WordmillTestSupport

/// PyTorch's nn.RNN / nn.LSTM / nn.GRU on a packed batch (Tests/Fixtures/recurrent/rnn-reference.json,
/// copied from the shared seed): outputs, h_n, c_n and the gradients of
/// sum(output²) + sum(h_n²) must match to 1e-5.
@Suite struct RecurrentReferenceTests {
    nonisolated(unsafe) static let reference: [String: Any] = {
        let data = try! Data(contentsOf: URL(fileURLWithPath: Repository.fixture("recurrent/rnn-reference.json")))
        return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
    }()

    static var caseNames: [String] { (reference["cases"] as! [[String: Any]]).map { $0["name"] as! String } }

    /// A tensor's values flattened in row-major order.
    static func flatten(_ value: Any) -> [Float] {
        if let array = value as? [Any] { return array.flatMap(flatten) }
        return [Float((value as! NSNumber).doubleValue)]
    }

    static func tensor(_ value: Any?) -> (shape: [Int], data: [Float]) {
        let t = value as! [String: Any]
        return (t["shape"] as! [Int], flatten(t["data"]!))
    }

    /// |a − b| ≤ 1e-5 · max(1, |b|): relative, or absolute near zero.
    static func expectClose(_ actual: [Float], _ expected: [Float], _ what: String) {
        #expect(actual.count == expected.count, "\(what): \(actual.count) values, expected \(expected.count)")
        var worst: Float = 0
        for (a, b) in zip(actual, expected) { worst = max(worst, abs(a - b) / max(1, abs(b))) }
        #expect(worst <= 1e-5, "\(what): largest error \(worst)")
    }

    @Test func lecturePacking() throws {
        let lecture = Self.reference["lecture_padding"] as! [String: Any]
        let data = lecture["data"] as! [[Int]]
        let layout = PackedSequenceLayout(lengths: data.map(\.count))
        #expect(layout.sortedLengths == [20, 18, 18, 17, 15, 10, 8, 6, 6, 5])
        #expect(layout.batchSizes == [10, 10, 10, 10, 10, 9, 7, 7, 6, 6, 5, 5, 5, 5, 5, 4, 4, 3, 1, 1])
        #expect(layout.rows == 123)
        #expect(layout.sortedIndices == lecture["sorted_idx"] as! [Int])
        let unsorted = (lecture["enforce_sorted_false"] as! [String: Any])["unsorted_indices"] as! [Int]
        #expect(layout.unsortedIndices == unsorted)
        // Packing then unpacking the ids gives the padded batch back (time-major here).
        let padded = lecture["padded"] as! [[Int]]
        var timeMajor = [Float](repeating: 0, count: 20 * 10)
        for (b, row) in padded.enumerated() { for (t, id) in row.enumerated() { timeMajor[t * 10 + b] = Float(id) } }
        let packed = layout.pack(timeMajor: timeMajor, width: 1)
        #expect(packed.count == 123)
        #expect(Array(packed.prefix(10)) == [85, 58, 87, 22, 70, 19, 93, 94, 80, 62])
        #expect(packed.withUnsafeBufferPointer { layout.unpack($0, width: 1) } == timeMajor)
    }

    @Test(arguments: caseNames)
    func matchesPyTorch(_ name: String) throws {
        let c = (Self.reference["cases"] as! [[String: Any]]).first { $0["name"] as! String == name }!
        let kwargs = c["kwargs"] as! [String: Any]
        let module = c["module"] as! String
        let cell: RecurrentCell = module == "nn.LSTM" ? .lstm : module == "nn.GRU" ? .gru
            : (kwargs["nonlinearity"] as? String == "relu" ? .rnnRelu : .rnnTanh)
        let shape = RecurrentShape(cell: cell, inputSize: kwargs["input_size"] as! Int, hiddenSize: kwargs["hidden_size"] as! Int,
                                   layers: kwargs["num_layers"] as! Int, bidirectional: kwargs["bidirectional"] as! Bool)
        var layout = ParameterLayout()
        let offsets = layout.addRecurrent(shape)
        var parameters = [Float](repeating: 0, count: layout.count)
        var expectedGradients = [Float](repeating: 0, count: layout.count)
        let params = c["params"] as! [[String: Any]]
        #expect(params.map { $0["name"] as! String } == layout.tensors.map(\.name))
        for (p, t) in zip(params, layout.tensors) {
            #expect(p["shape"] as! [Int] == t.shape, "\(t.name) shape")
            let values = Self.flatten(p["data"]!), grads = Self.flatten(p["grad"]!)
            for k in 0..<t.count {
                parameters[t.offset + k] = values[k]
                expectedGradients[t.offset + k] = grads[k]
            }
        }
        let lengths = c["lengths"] as! [Int]
        let packing = PackedSequenceLayout(lengths: lengths)
        #expect(packing.batchSizes == c["batch_sizes"] as! [Int])
        let batch = lengths.count, hidden = shape.hiddenSize, states = shape.layers * shape.directions
        let input = Self.tensor(c["input"])
        let packedInput = packing.pack(timeMajor: input.data, width: shape.inputSize)
        /// h0/c0 arrive per layer-direction in batch order; the network wants sorted order.
        func sortedStates(_ key: String) -> [Float]? {
            guard let t = c[key] as? [String: Any] else { return nil }
            let data = Self.flatten(t["data"]!)
            return (0..<states).flatMap { s in packing.sort(Array(data[(s * batch * hidden)..<((s + 1) * batch * hidden)]), width: hidden) }
        }
        func unsortedStates(_ p: UnsafeMutablePointer<Float>) -> [Float] {
            (0..<states).flatMap { s in packing.unsort(UnsafeBufferPointer(start: p + s * batch * hidden, count: batch * hidden), width: hidden) }
        }
        let h0 = sortedStates("h0"), c0 = sortedStates("c0")
        let network = RecurrentNetwork(shape: shape, offsets: offsets)
        var random = RandomGenerator(seed: 1)
        var gradients = [Float](repeating: 0, count: layout.count)
        packedInput.withUnsafeBufferPointer { x in
            parameters.withUnsafeBufferPointer { w in
                let output = network.forward(input: x.baseAddress!, layout: packing, parameters: w.baseAddress!,
                                             initialHidden: h0, initialCell: c0, random: &random)
                let rows = packing.rows, width = shape.outputSize
                Self.expectClose(packing.unpack(UnsafeBufferPointer(start: output, count: rows * width), width: width),
                                 Self.tensor(c["output"]).data, "\(name) output")
                let hN = unsortedStates(network.finalHidden.pointer)
                Self.expectClose(hN, Self.tensor(c["h_n"]).data, "\(name) h_n")
                if cell == .lstm { Self.expectClose(unsortedStates(network.finalCell.pointer), Self.tensor(c["c_n"]).data, "\(name) c_n") }
                // loss = Σ output² + Σ h_n²; its gradients are 2·output and 2·h_n.
                var loss: Double = 0
                for k in 0..<(rows * width) { loss += Double(output[k] * output[k]) }
                for v in hN { loss += Double(v * v) }
                let expectedLoss = (c["loss"] as! NSNumber).doubleValue
                #expect(abs(loss - expectedLoss) <= 1e-5 * max(1, abs(expectedLoss)), "\(name) loss \(loss) vs \(expectedLoss)")
                let dOutput = (0..<(rows * width)).map { 2 * output[$0] }
                let dHidden = (0..<(states * batch * hidden)).map { 2 * network.finalHidden.pointer[$0] }
                let dInput = gradients.withUnsafeMutableBufferPointer { g in
                    network.backward(parameters: w.baseAddress!, gradients: g.baseAddress!, outputGradient: dOutput, finalHiddenGradient: dHidden)
                }
                Self.expectClose(packing.unpack(UnsafeBufferPointer(start: dInput, count: rows * shape.inputSize), width: shape.inputSize),
                                 Self.tensor(c["input_grad"]).data, "\(name) input gradient")
            }
        }
        for t in layout.tensors {
            Self.expectClose(Array(gradients[t.offset..<(t.offset + t.count)]), Array(expectedGradients[t.offset..<(t.offset + t.count)]), "\(name) \(t.name) gradient")
        }
        if c["h0_grad"] != nil { Self.expectClose(unsortedStates(network.initialHiddenGradient.pointer), Self.tensor(c["h0_grad"]).data, "\(name) h0 gradient") }
        if c["c0_grad"] != nil { Self.expectClose(unsortedStates(network.initialCellGradient.pointer), Self.tensor(c["c0_grad"]).data, "\(name) c0 gradient") }
    }
}
