/// Named float tensors laid end to end in one flat vector, in a fixed order.
///
/// A model's parameters, its gradients and its optimiser state all share one layout, so
/// the optimiser and gradient clipping run over single contiguous vectors and export walks
/// the names (PyTorch's `state_dict` keys) in order.
public struct ParameterLayout: Sendable, Equatable {
    /// One tensor: its name, shape and place in the flat vector.
    public struct Tensor: Sendable, Equatable {
        public var name: String
        public var shape: [Int]
        public var offset: Int
        public var count: Int { shape.reduce(1, *) }
    }

    public private(set) var tensors: [Tensor] = []
    /// Total number of floats.
    public private(set) var count = 0

    public init() {}

    /// Appends a tensor and returns its offset.
    @discardableResult
    public mutating func add(_ name: String, shape: [Int]) -> Int {
        precondition(!tensors.contains { $0.name == name }, "duplicate parameter \(name)")
        let offset = count
        tensors.append(Tensor(name: name, shape: shape, offset: offset))
        count += shape.reduce(1, *)
        return offset
    }

    /// The tensor called `name`.
    public func tensor(_ name: String) -> Tensor? { tensors.first { $0.name == name } }
}

/// Where the four tensors of one layer and direction of a recurrent stack sit in a
/// `ParameterLayout`.
public struct RecurrentLayerOffsets: Sendable, Equatable {
    public var weightIH: Int
    public var weightHH: Int
    public var biasIH: Int
    public var biasHH: Int
}

extension ParameterLayout {
    /// Adds the tensors of a recurrent stack in PyTorch's order and names (`weight_ih_l0`,
    /// `weight_hh_l0`, `bias_ih_l0`, `bias_hh_l0`, then the `_reverse` set, layer by layer),
    /// each prefixed with `prefix` (e.g. `"rnn."`). Returns offsets indexed by layer × directions + direction.
    public mutating func addRecurrent(_ shape: RecurrentShape, prefix: String = "") -> [RecurrentLayerOffsets] {
        var result: [RecurrentLayerOffsets] = []
        for layer in 0..<shape.layers {
            for direction in 0..<shape.directions {
                let suffix = "l\(layer)" + (direction == 1 ? "_reverse" : "")
                let wih = add(prefix + "weight_ih_" + suffix, shape: [shape.gateSize, shape.layerInputSize(layer)])
                let whh = add(prefix + "weight_hh_" + suffix, shape: [shape.gateSize, shape.hiddenSize])
                let bih = add(prefix + "bias_ih_" + suffix, shape: [shape.gateSize])
                let bhh = add(prefix + "bias_hh_" + suffix, shape: [shape.gateSize])
                result.append(RecurrentLayerOffsets(weightIH: wih, weightHH: whh, biasIH: bih, biasHH: bhh))
            }
        }
        return result
    }
}
