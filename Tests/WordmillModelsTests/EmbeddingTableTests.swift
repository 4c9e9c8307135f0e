import Testing
import WordmillModels

@Suite struct EmbeddingTableTests {
    /// Compass directions in 2-D; "north" appears twice (its second row points south).
    let table = EmbeddingTable(
        words: ["east", "north", "northeast", "west", "zero", "east2", "north"], dim: 2,
        vectors: [1, 0, 0, 1, 1, 1, -1, 0, 0, 0, 2, 0, 0, -1])

    @Test func lookups() {
        #expect(table.count == 7)
        #expect(table.row(of: "northeast") == 2)
        #expect(table.row(of: "north") == 1)  // the first of the two rows
        #expect(table.vector(of: "east2") == [2, 0])
        #expect(table.vector(of: "north") == [0, 1])
        #expect(table.row(of: "south") == nil && table.vector(of: "south") == nil)
    }

    /// cos(east, ·): east2 1, northeast 1/√2, north 0, zero 0 (zero row), north(2nd) 0 (−0), west −1;
    /// the three zeros in row order.
    @Test func nearestByCosine() throws {
        let n = try table.nearest(to: "east", k: 10)
        #expect(n.map(\.word) == ["east2", "northeast", "north", "zero", "north", "west"])
        #expect(n.map(\.similarity) == [1, Float(0.70710678118654752), 0, 0, 0, -1])
        #expect(try table.nearest(to: "east", k: 2).map(\.word) == ["east2", "northeast"])
        #expect(try table.nearest(to: "east", k: 0).isEmpty)
    }

    /// cos((3, 1), ·): east 3/√10 = 0.94868330 (east2 the same, excluded), northeast 4/√20 = 0.89442719,
    /// north 1/√10 = 0.31622777.
    @Test func nearestToAVector() throws {
        let n = table.nearest(vector: [3, 1], k: 3, excluding: ["east2", "nowhere"])
        #expect(n.map(\.word) == ["east", "northeast", "north"])
        for (got, want) in zip(n.map(\.similarity), [0.94868330, 0.89442719, 0.31622777] as [Float]) {
            #expect(abs(got - want) < 1e-6)
        }
        // Equal scores go to the lower row: east (row 0) before east2 (row 5).
        #expect(table.nearest(vector: [5, 0], k: 2).map(\.word) == ["east", "east2"])
        // A zero query or a zero row scores 0 against everything.
        #expect(table.nearest(vector: [0, 0], k: 3).map(\.word) == ["east", "north", "northeast"])
        #expect(try table.nearest(to: "zero", k: 2).map(\.similarity) == [0, 0])
    }

    @Test func unknownWordIsAnError() {
        #expect(throws: EmbeddingError.unknownWord("south", vocabularySize: 7)) { try table.nearest(to: "south", k: 1) }
        #expect(EmbeddingError.unknownWord("south", vocabularySize: 7).description == "\"south\" is not in the vocabulary of 7 words")
        #expect(throws: EmbeddingError.unknownWord("south", vocabularySize: 7)) {
            try table.analogy("east", "south", "west", k: 1, method: .mul)
        }
    }

    /// man → king as woman → queen, gender on axis 0 and royalty on axis 1.
    /// For queen: cos(q, king) = 0.01/2.01, cos(q, man) = −0.99/√(2.01·1.01), cos(q, woman) = 1.01/√(2.01·1.01);
    /// 3CosAdd = 1.40866536, 3CosMul = 2.79543372 (from a numpy reference).
    @Test func kingQueenAnalogy() throws {
        let t = EmbeddingTable(words: ["man", "woman", "king", "queen", "apple"], dim: 3,
                               vectors: [1, 0, 0.1, -1, 0, 0.1, 1, 1, 0.1, -1, 1, 0.1, 0, 0, 1])
        let add = try t.analogy("man", "king", "woman", k: 5, method: .add)
        #expect(add.map(\.word) == ["queen", "apple"])
        #expect(abs(add[0].similarity - 1.40866536) < 1e-5)
        #expect(abs(add[1].similarity - 0.07053456) < 1e-5)
        let mul = try t.analogy("man", "king", "woman", k: 1, method: .mul)
        #expect(mul.map(\.word) == ["queen"])
        #expect(abs(mul[0].similarity - 2.79543372) < 1e-5)
    }

    /// A 2-D table where the two methods disagree (found by a numpy search, scores from it):
    /// 3CosAdd ranks y (−0.17052393) over x (−0.35278640); 3CosMul ranks x (0.29056981) over y (0.02992811).
    @Test func addAndMulCanDisagree() throws {
        let t = EmbeddingTable(words: ["a", "b", "c", "x", "y"], dim: 2, vectors: [3, 1, -2, -2, 3, -3, 3, -1, -3, 2])
        let add = try t.analogy("a", "b", "c", k: 2, method: .add)
        let mul = try t.analogy("a", "b", "c", k: 2, method: .mul)
        #expect(add.map(\.word) == ["y", "x"])
        #expect(mul.map(\.word) == ["x", "y"])
        for (got, want) in zip(add.map(\.similarity) + mul.map(\.similarity), [-0.17052393, -0.35278640, 0.29056981, 0.02992811] as [Float]) {
            #expect(abs(got - want) < 1e-5)
        }
    }
}
