import Testing
@testable import WordmillModels

@Suite struct EvaluationTests {
    /// Capitals and countries on one axis each, plus noise words.
    let table = EmbeddingTable(
        words: ["athens", "greece", "paris", "france", "rome", "italy", "Big", "bigger", "small", "smaller", "x"], dim: 4,
        vectors: [1, 0, 0, 0.1, 1, 1, 0, 0.1, 1, 0, 0.3, 0, 1, 1, 0.3, 0, 1, 0, -0.3, 0.05, 1, 1, -0.3, 0.05,
                  0, 0, 1, 1, 0, 0.5, 1, 1, 0, 0, -1, 1, 0, 0.5, -1, 1, -1, -1, -1, -1])

    @Test func parsesQuestionFiles() throws {
        let q = try AnalogyQuestions.parse(": capitals\nAthens Greece Paris France\n\n: gram-comparative\nbig bigger small smaller\n", path: "q.txt")
        #expect(q.sections.map(\.name) == ["capitals", "gram-comparative"])
        #expect(q.sections[1].isSyntactic)
        #expect(throws: EvaluationError.self) { try AnalogyQuestions.parse(": s\na b c\n", path: "q.txt") }
        #expect(throws: EvaluationError.self) { try AnalogyQuestions.parse("a b c d\n", path: "q.txt") }
    }

    @Test func analogyAccuracyBySection() throws {
        let text = ": capitals\nAthens Greece Paris France\nParis France Rome Italy\nAthens Greece Rome Spain\n: gram-comparative\nbig bigger small smaller\n"
        let q = try AnalogyQuestions.parse(text, path: "q.txt")
        for method in AnalogyMethod.allCases {
            let r = AnalogyEvaluation.evaluate(table, questions: q, method: method)
            #expect(r.sections.map(\.correct) == [2, 1], "\(method)")
            #expect(r.sections.map(\.total) == [2, 1])
            #expect(r.skipped == 1)  // "Spain" is unknown
            #expect(r.semantic == 1 && r.syntactic == 1 && r.total == 1)
        }
        // Case-sensitive matching loses "big" (the table has "Big") and "Athens".
        let strict = AnalogyEvaluation.evaluate(table, questions: q, caseInsensitive: false, method: .add)
        #expect(strict.answered == 0)
        // Restricting the vocabulary to the 4 most frequent words leaves only the Athens/Paris question.
        let restricted = AnalogyEvaluation.evaluate(table, questions: q, restrictVocab: 4, method: .add)
        #expect(restricted.answered == 1)
    }

    @Test func spearmanWithTiesMatchesScipy() {
        // scipy.stats.spearmanr([1, 2, 2, 3, 5], [2, 1, 3, 3, 4]).correlation == 0.7631578947368421
        #expect(abs(Statistics.spearman([1, 2, 2, 3, 5], [2, 1, 3, 3, 4]) - 0.7631578947368421) < 1e-12)
        #expect(Statistics.ranks([10, 20, 20, 5]) == [2, 3.5, 3.5, 1])
        #expect(abs(Statistics.pearson([1, 2, 3], [2, 4, 7]) - 0.9933992677987828) < 1e-12)
    }

    @Test func similarityCountsSkippedPairs() throws {
        let pairs = try WordPairs.parse("# w1\tw2\tscore\nWord 1\tWord 2\tHuman\nathens\tgreece\t7\nparis\tfrance\t8\nbig\tsmall\t1\nbig\tunicorn\t3\n", path: "p.tsv")
        #expect(pairs.pairs.count == 4)
        let r = SimilarityEvaluation.evaluate(table, pairs: pairs)
        #expect(r.pairs == 3 && r.skipped == 1)
        #expect(r.spearman.isFinite)
    }
}
