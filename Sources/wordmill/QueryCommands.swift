import ArgumentParser
import Foundation
import WordmillArtifacts
import WordmillExport
import WordmillModels
import WordmillPipeline
import WordmillStages
import WordmillSupport

/// "word 0.123, word 0.045" for query answers.
func formatScored(_ items: [(word: String, similarity: Float)]) -> String {
    items.map { "\($0.word) \(String(format: "%.3f", $0.similarity))" }.joined(separator: ", ")
}

/// Loads vectors for a query or exits with an input error.
func loadVectors(_ path: String) -> EmbeddingTable {
    do { return try VectorFiles.load(path) } catch { fail("\(error)", code: .inputError) }
}

/// Vectors for queries by word: a table's, and with a fastText subword model (a `fasttext`
/// artifact or fastText's own `.bin`) also the n-gram vectors of words outside its vocabulary.
struct QueryVectors {
    let table: EmbeddingTable
    /// The vector of a word outside the table, where the model can make one.
    let unseen: ((String) -> [Float])?

    /// Loads a model artifact or vectors file, or exits with an input error.
    init(_ path: String) {
        if VectorFiles.isFastTextModel(path) {
            let file = orFail { try FastTextBinFile(path: path) }
            table = file.table()
            unseen = file.arguments.maxn > 0 ? file.vector(of:) : nil
            return
        }
        guard (try? ArtifactReader(path: path).header.kind) == FastTextSubwordArtifact.kind else { (table, unseen) = (loadVectors(path), nil); return }
        let model = orFail { try FastTextSubwordArtifact.read(ArtifactReader(path: path)) }
        (table, unseen) = (EmbeddingTable(words: model.words, dim: model.dim, vectors: model.wordVectors), model.vector(of:))
    }

    /// The vector of `word`, or nil when the table lacks it and the model has no n-grams.
    func vector(of word: String) -> [Float]? { table.vector(of: word) ?? unseen?(word) }
}

/// `wordmill similar`: nearest neighbours by cosine similarity.
struct SimilarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "similar", abstract: "Nearest neighbours of WORD by cosine similarity.")

    @Argument(help: "A model artifact (.wma), a fastText model (.bin), a word2vec text file or a word2vec binary file (.bin).") var vectors: String
    @Argument(help: "The query words.") var words: [String]
    @Option(name: .short, help: "How many neighbours.") var k = 10

    func run() throws {
        let source = QueryVectors(vectors)
        for word in words {
            do {
                if source.table.row(of: word) == nil, let vector = source.unseen?(word) {
                    print("\(word) (not in the vocabulary; from its character n-grams): " + formatScored(source.table.nearest(vector: vector, k: k)))
                    continue
                }
                let neighbours = try source.table.nearest(to: word, k: k)
                print("\(word): " + formatScored(neighbours))
            } catch {
                fail("\(error) (in \(vectors))", code: .inputError)
            }
        }
    }
}

/// `wordmill vectors`: the vectors of words, one line each (`fasttext print-word-vectors`).
struct VectorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vectors", abstract: "Print the vectors of words: the word, then its values after single spaces.",
        discussion: "A fasttext model gives a vector to any word: one outside its vocabulary gets the mean of its character n-grams' rows (zeros when it has none), as fasttext print-word-vectors does. Other models and vector files know only their vocabulary. With no words (or -), words are read from standard input, separated by white space.")

    @Argument(help: "A model artifact (.wma), a fastText model (.bin), a word2vec text file or a word2vec binary file (.bin).") var vectors: String
    @Argument(help: "The words.") var words: [String] = []

    func run() throws {
        let source = QueryVectors(vectors)
        func show(_ word: String) {
            guard let vector = source.vector(of: word) else {
                fail("\(EmbeddingError.unknownWord(word, vocabularySize: source.table.count)) (in \(vectors); only a fasttext model has vectors for unseen words)", code: .inputError)
            }
            print(([word] + vector.map { "\($0)" }).joined(separator: " "))
        }
        guard words.isEmpty || words == ["-"] else { return words.forEach(show) }
        while let line = readLine() { line.split(whereSeparator: \.isWhitespace).forEach { show(String($0)) } }
    }
}

/// `wordmill analogy`: a is to b as c is to ?
struct AnalogyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "analogy", abstract: "A is to B as C is to ? (3CosAdd or 3CosMul).")

    @Argument(help: "A model artifact (.wma), a fastText model (.bin), a word2vec text file or a word2vec binary file (.bin).") var vectors: String
    @Argument var a: String
    @Argument var b: String
    @Argument var c: String
    @Option(name: .short, help: "How many answers.") var k = 5
    @Option(help: "add (3CosAdd) or mul (3CosMul).") var method = "add"

    func run() throws {
        let table = loadVectors(vectors)
        guard let m = AnalogyMethod(rawValue: method) else {
            fail("--method must be add or mul, got \(method)", code: .usage)
        }
        do {
            let answers = try table.analogy(a, b, c, k: k, method: m)
            print("\(a) : \(b) :: \(c) : " + formatScored(answers))
        } catch {
            fail("\(error) (in \(vectors))", code: .inputError)
        }
    }
}

/// `wordmill evaluate`: the evaluate stage's scoring for any vectors file (the benchmark
/// scores gensim's vectors with it, so both systems meet the same evaluator).
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "evaluate", abstract: "Score word vectors on analogy and similarity test sets.")

    @Argument(help: "A model artifact (.wma), a word2vec text or binary file (.bin).") var vectors: String
    @Option(help: "An analogy file in questions-words.txt format (repeatable).") var analogies: [String] = []
    @Option(help: "A word-pair similarity file: w1 w2 score (repeatable).") var similarity: [String] = []
    @Option(help: "Only the N most frequent words take part.") var restrictVocab = 30_000
    @Option(help: "Analogy methods: add, mul (repeatable).") var method: [String] = ["add", "mul"]
    @Flag(help: "Match words case-sensitively.") var caseSensitive = false
    @Flag(help: "Print the metrics as JSON.") var json = false

    func run() throws {
        if analogies.isEmpty && similarity.isEmpty { fail("name --analogies or --similarity files", code: .usage) }
        let methods = method.map { m in AnalogyMethod(rawValue: m) ?? { fail("--method must be add or mul, got \(m)", code: .usage) }() }
        let table = loadVectors(vectors)
        do {
            let metrics = try Evaluator.evaluate(table, analogyFiles: analogies, similarityFiles: similarity, restrictVocab: restrictVocab,
                                                 caseInsensitive: !caseSensitive, methods: methods)
            print(json ? metrics.prettyText : Evaluator.summary(metrics))
        } catch {
            fail("\(error)", code: .inputError)
        }
    }
}
