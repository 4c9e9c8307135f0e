import Testing
@testable import WordmillModels

@Suite struct EmbeddingTableTests {
    let table = EmbeddingTable(words: ["east", "north", "northeast", "west", "zero"], dim: 2,
                               vectors: [1, 0, 0, 1, 1, 1, -1, 0, 0, 0])

    @Test func nearestByCosine() throws {
        let n = try table.nearest(to: "east", k: 4)
        #expect(n.map(\.word) == ["northeast", "north", "zero", "west"])
        #expect(abs(n[0].similarity - 0.70710677) < 1e-6)
        #expect(n[1].similarity == 0)
        #expect(n[3].similarity == -1)
        #expect(table.nearest(vector: [0, 2], k: 1, excluding: ["north"]).map(\.word) == ["northeast"])
    }

    @Test func unknownWordIsAnError() {
        #expect(throws: EmbeddingError.unknownWord("south", vocabularySize: 5)) { try table.nearest(to: "south", k: 1) }
        #expect(EmbeddingError.unknownWord("south", vocabularySize: 5).description == "\"south\" is not in the vocabulary of 5 words")
    }

    @Test func analogies() throws {
        // man → king as woman → queen, with gender on axis 0 and royalty on axis 1.
        let t = EmbeddingTable(words: ["man", "woman", "king", "queen", "apple"], dim: 3,
                               vectors: [1, 0, 0.1, -1, 0, 0.1, 1, 1, 0.1, -1, 1, 0.1, 0, 0, 1])
        #expect(try t.analogy("man", "king", "woman", k: 1, method: .add).first?.word == "queen")
        #expect(try t.analogy("man", "king", "woman", k: 1, method: .mul).first?.word == "queen")
        #expect(throws: EmbeddingError.self) { try t.analogy("man", "king", "girl", k: 1, method: .add) }
    }
}
