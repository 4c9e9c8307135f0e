/// The recurrent cell of a layer, with PyTorch's equations and gate order.
public enum RecurrentCell: String, Sendable, CaseIterable, Codable {
    /// `nn.RNN(nonlinearity="tanh")`: h' = tanh(W_ih x + b_ih + W_hh h + b_hh).
    case rnnTanh = "rnn_tanh"
    /// `nn.RNN(nonlinearity="relu")`.
    case rnnRelu = "rnn_relu"
    /// `nn.LSTM`: gates i, f, g, o stacked in that order.
    case lstm
    /// `nn.GRU`: gates r, z, n stacked in that order; n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)).
    case gru

    /// How many H-row blocks the stacked weight matrices have.
    public var gates: Int {
        switch self {
        case .rnnTanh, .rnnRelu: 1
        case .lstm: 4
        case .gru: 3
        }
    }

    /// Whether the cell carries a cell state c beside h.
    public var hasCellState: Bool { self == .lstm }
}

/// The sizes of a stack of recurrent layers, as the arguments of PyTorch's `nn.RNN`/`nn.LSTM`/`nn.GRU`.
public struct RecurrentShape: Sendable, Equatable, Codable {
    public var cell: RecurrentCell
    public var inputSize: Int
    public var hiddenSize: Int
    public var layers: Int
    public var bidirectional: Bool

    public init(cell: RecurrentCell, inputSize: Int, hiddenSize: Int, layers: Int = 1, bidirectional: Bool = false) {
        precondition(inputSize > 0 && hiddenSize > 0 && layers > 0)
        self.cell = cell
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        self.layers = layers
        self.bidirectional = bidirectional
    }

    public var directions: Int { bidirectional ? 2 : 1 }
    /// Rows of the stacked gate matrices: gates × hidden.
    public var gateSize: Int { cell.gates * hiddenSize }
    /// Width of a layer's output: hidden × directions.
    public var outputSize: Int { hiddenSize * directions }
    /// Width of the input of `layer`.
    public func layerInputSize(_ layer: Int) -> Int { layer == 0 ? inputSize : outputSize }
}
