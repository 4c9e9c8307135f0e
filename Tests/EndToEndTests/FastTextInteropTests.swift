import Foundation
import Testing
import WordmillSupport
import WordmillTestSupport

/// wordmill's `fasttext-bin` exports read by fastText's own Python package: the classifier's
/// `.bin` loads in `fasttext.load_model` and predicts what `wordmill predict` does.
@Suite struct FastTextInteropTests {
    static let train = """
        weather\train fell all night and the wind blew hard
        weather\ta cold wind and grey clouds over the hills
        weather\tsun in the morning then rain by noon
        tools\ta hammer and a saw hung on the wall
        tools\tthe drill and the saw need new blades
        tools\tshe fixed the wall with a hammer and nails
        animals\tthe dog chased the cat over the wall
        animals\ta cat slept in the sun by the dog

        """
    /// Texts with words and bigrams seen in training, words never seen, and an empty-ish line.
    static let texts = ["rain and wind over the hills", "a saw and a drill on the wall",
                        "the dog and the hammer", "zebra quantum", "cat"]

    /// fastText computes σ from a 512-entry table over ±8, so the hierarchical softmax's and
    /// one-vs-all's probabilities agree to about 1e-2; softmax uses exp on both sides.
    @Test(arguments: ["softmax", "hierarchical", "one-vs-all"])
    func classifierBinLoadsInFastTextAndPredictsTheSame(loss: String) throws {
        let dir = TemporaryDirectory()
        dir.write("train.tsv", Self.train)
        dir.write("texts.txt", Self.texts.joined(separator: "\n") + "\n")
        dir.write("spec.json", """
            {"wordmill": 1, "name": "ft", "artifacts": "art", "stages": [
              {"name": "tokens", "op": "tokenize", "inputs": "train.tsv", "format": "tsv"},
              {"name": "vocab", "op": "vocab", "from": "tokens"},
              {"name": "sequences", "op": "sequences", "from": ["tokens", "vocab"], "task": "classify"},
              {"name": "ft", "op": "train", "from": "sequences", "model": "fasttext-classifier", "dim": 8, "epochs": 30,
               "lr": 0.5, "word_ngrams": 2, "bucket": 5000, "loss": "\(loss)"},
              {"name": "bin", "op": "export", "from": "ft", "format": "fasttext-bin", "path": "out/model.bin"}
            ]}
            """)
        let run = try runWordmill(["run", dir.file("spec.json")])
        #expect(run.status == 0, "\(run.stderr)")
        try #require(FileManager.default.isExecutableFile(atPath: Repository.python), "run `make test`: it creates .venv-test with fastText's package")
        let check = try runWordmill([Repository.fixture("fasttext_check.py"), dir.file("out/model.bin"), dir.file("texts.txt")], tool: Repository.python)
        try #require(check.status == 0, "\(check.stdout)\(check.stderr)")
        let lines = try check.stdout.split(separator: "\n").map { try JSONParser.parse(String($0)) }
        try #require(lines.count == Self.texts.count + 1)
        #expect(lines[0]["labels"] == 3 && lines[0]["dim"] == 8)
        // The dictionary holds every training word (min_count 1 keeps all), the sequences
        // stage's <pad> and <unk>, and fastText's </s>.
        let words = Set(Self.train.split(whereSeparator: { $0 == "\t" || $0 == " " || $0 == "\n" }).map(String.init)).subtracting(["weather", "tools", "animals"])
        #expect(lines[0]["words"]?.intValue == words.count + 3)

        let ours = try runWordmill(["predict", dir.file("art/ft.wma"), "--k", "3", "--format", "jsonl"] + Self.texts)
        #expect(ours.status == 0, "\(ours.stderr)")
        let predictions = try ours.stdout.split(separator: "\n").map { try JSONParser.parse(String($0)) }
        try #require(predictions.count == Self.texts.count)
        for (text, (theirs, ours)) in zip(Self.texts, zip(lines.dropFirst(), predictions)) {
            func byLabel(_ line: JSONValue) -> [String: Double] {
                let labels = line["labels"]?.arrayValue?.compactMap(\.stringValue) ?? []
                let probabilities = line["probabilities"]?.arrayValue?.compactMap(\.doubleValue) ?? []
                return Dictionary(uniqueKeysWithValues: zip(labels, probabilities))
            }
            let a = byLabel(theirs), b = byLabel(ours)
            #expect(a.keys.sorted() == ["animals", "tools", "weather"] && b.keys.sorted() == a.keys.sorted(), "\(text)")
            // fastText reports exp(log(p + 1e-5)).
            let tolerance = loss == "softmax" ? 1e-4 : 3e-2
            for (label, p) in b { #expect(abs((a[label] ?? -1) - p) < tolerance, "\(text): \(label) fastText \(a[label] ?? -1), wordmill \(p)") }
            let sorted = b.values.sorted(by: >)
            if sorted[0] - sorted[1] > 2 * tolerance { #expect(theirs["labels"]?.arrayValue?.first == ours["label"], "\(text)") }
        }
    }

    /// The subword model's `.bin` in fastText and in gensim: both give wordmill's vectors, for
    /// words of the vocabulary and for words it never saw (English and Korean), to 1e-5.
    @Test func subwordBinLoadsInFastTextAndGensimWithTheSameVectors() throws {
        let w = TopicWorkspace()
        w.dir.write("ft.json", """
            {"wordmill": 1, "name": "subwords", "artifacts": "art", "stages": [
              {"name": "tokens", "op": "tokenize", "inputs": "corpus.txt"},
              {"name": "vocab", "op": "vocab", "from": "tokens"},
              {"name": "windows", "op": "windows", "from": ["tokens", "vocab"], "kind": "skipgram", "window": 3},
              {"name": "ft", "op": "train", "from": "windows", "model": "fasttext", "dim": 12, "epochs": 3, "sample": 0, "minn": 2, "maxn": 5, "bucket": 3001},
              {"name": "bin", "op": "export", "from": "ft", "format": "fasttext-bin", "path": "out/model.bin"},
              {"name": "vec", "op": "export", "from": "ft", "format": "word2vec-text", "path": "out/model.vec"}
            ]}
            """)
        let run = try runWordmill(["run", w.dir.file("ft.json")])
        try #require(run.status == 0, "\(run.stderr)")
        let words = ["cat", "hammer", "cats", "hammers", "고양이", "x"]
        let ours = try runWordmill(["vectors", w.dir.file("art/ft.wma")] + words)
        try #require(ours.status == 0, "\(ours.stderr)")
        let rows = ours.stdout.split(separator: "\n").map { $0.split(separator: " ") }
        #expect(rows.map { String($0[0]) } == words && rows.allSatisfy { $0.count == 13 })
        try #require(FileManager.default.isExecutableFile(atPath: Repository.python), "run `make test`: it creates .venv-test with fastText and gensim")
        let check = try runWordmill([Repository.fixture("fasttext_vectors_check.py"), w.dir.file("out/model.bin")] + words, tool: Repository.python)
        try #require(check.status == 0, "\(check.stdout)\(check.stderr)")
        let theirs = try JSONParser.parse(check.stdout.split(separator: "\n").last.map(String.init) ?? "")
        #expect(theirs["words"] == 16 && theirs["dim"] == 12)
        for tool in ["fasttext", "gensim"] {
            for row in rows {
                let expected = row.dropFirst().compactMap { Double($0) }
                let vector = theirs[tool]?[String(row[0])]?.arrayValue?.compactMap(\.doubleValue) ?? []
                #expect(vector.count == 12 && zip(vector, expected).allSatisfy { abs($0 - $1) < 1e-5 }, "\(tool) \(row[0]): \(vector) vs \(expected)")
            }
        }
        // The word2vec text export holds the vocabulary's vectors, equal to `wordmill vectors`.
        let vec = try String(contentsOfFile: w.dir.file("out/model.vec"), encoding: .utf8)
        #expect(vec.split(separator: "\n").contains { $0.hasPrefix("cat ") && $0.split(separator: " ").dropFirst().map(String.init) == rows[0].dropFirst().map(String.init) })

        // similar: an unseen word is answered from its n-grams; other models refuse it.
        let similar = try runWordmill(["similar", w.dir.file("art/ft.wma"), "cats", "-k", "3"])
        #expect(similar.status == 0 && similar.stdout.hasPrefix("cats (not in the vocabulary"), "\(similar.stdout)\(similar.stderr)")
        let unknown = try runWordmill(["vectors", w.dir.file("out/model.vec"), "cats"])
        #expect(unknown.status != 0 && unknown.stderr.contains("cats"))
    }

    /// A `.bin` that fastText itself trained, imported: the artifact gives fastText's vectors for
    /// seen and unseen words, and an rnn takes it as embeddings with a vector for every token.
    @Test func importedFastTextBinGivesFastTextsVectors() throws {
        let w = TopicWorkspace()
        try #require(FileManager.default.isExecutableFile(atPath: Repository.python), "run `make test`: it creates .venv-test with fastText")
        let words = ["cat", "hammer", "cats", "고양이"]
        let trained = try runWordmill([Repository.fixture("fasttext_train_tiny.py"), w.dir.file("corpus.txt"), w.dir.file("ft.bin")] + words, tool: Repository.python)
        try #require(trained.status == 0, "\(trained.stdout)\(trained.stderr)")
        let theirs = try JSONParser.parse(trained.stdout.split(separator: "\n").last.map(String.init) ?? "")
        w.dir.write("labels.tsv", (0..<40).map { $0 % 2 == 0 ? "animal\tcat dog cow" : "tool\thammer saw drill" }.joined(separator: "\n") + "\n")
        w.dir.write("import.json", """
            {"wordmill": 1, "name": "imported", "artifacts": "art", "stages": [
              {"name": "pretrained", "op": "import", "format": "fasttext-bin", "path": "ft.bin"},
              {"name": "tokens", "op": "tokenize", "inputs": "labels.tsv", "format": "tsv"},
              {"name": "vocab", "op": "vocab", "from": "tokens"},
              {"name": "sequences", "op": "sequences", "from": ["tokens", "vocab"], "task": "classify"},
              {"name": "rnn", "op": "train", "from": ["sequences", "pretrained"], "model": "rnn", "embedding_dim": 12, "hidden": 4, "epochs": 1}
            ]}
            """)
        let run = try runWordmill(["run", w.dir.file("import.json")])
        try #require(run.status == 0, "\(run.stderr)")
        // Every token of the rnn's vocabulary but <pad> has a vector (from n-grams where fastText never saw it).
        let log = run.stdout + run.stderr
        let found = log.split(separator: "\n").first { $0.contains("embeddings from stage 'pretrained': ") }?
            .split(separator: ":").last?.split(separator: " ").compactMap { Int($0) } ?? []
        #expect(found.count == 2 && found[0] == found[1] - 1, "\(log)")
        let ours = try runWordmill(["vectors", w.dir.file("art/pretrained.wma")] + words)
        try #require(ours.status == 0, "\(ours.stderr)")
        for line in ours.stdout.split(separator: "\n") {
            let fields = line.split(separator: " ")
            let expected = theirs[String(fields[0])]?.arrayValue?.compactMap(\.doubleValue) ?? []
            let values = fields.dropFirst().compactMap { Double($0) }
            #expect(expected.count == 12 && zip(values, expected).allSatisfy { abs($0 - $1) < 1e-5 }, "\(fields[0]): \(values) vs \(expected)")
        }
        // fastText's .bin reads directly too.
        let direct = try runWordmill(["vectors", w.dir.file("ft.bin"), "cats"])
        #expect(direct.status == 0 && direct.stdout.split(separator: " ").count == 13, "\(direct.stderr)")
    }
}
