import Foundation
import Testing
import WordmillArtifacts
import WordmillData
import WordmillText
import WordmillTestSupport
@testable import WordmillPipeline
@testable import WordmillStages

/// The `mecab` tokenizer through Debian's libmecab with mecab-ko-dic
/// (corpora/tools/mecab-ko-dic.sh, which `make test` runs first).
@Suite struct MecabTokenizerTests {
    static let dictionary = Repository.root + "/corpora/tools/mecab-ko-dic"

    static func spec(_ tokenizer: String) -> String {
        #"{"wordmill": 1, "name": "mecab", "artifacts": "art", "stages": [{"name": "t", "op": "tokenize", "inputs": "ko.txt", "tokenizer": \#(tokenizer), "threads": 2}]}"#
    }

    static func documents(_ path: String) throws -> [String] {
        var out: [String] = []
        try TokenStream.forEachDocument(try ArtifactReader(path: path)) { tokens in
            out.append(tokens.map { String(decoding: $0, as: UTF8.self) }.joined(separator: " "))
        }
        return out
    }

    @Test func morphemesAsMecabWakatiGivesThem() throws {
        guard FileSystem.isRegularFile(Self.dictionary + "/sys.dic") else {
            print("skipped: morphemesAsMecabWakatiGivesThem needs mecab-ko-dic (corpora/tools/mecab-ko-dic.sh)")
            return
        }
        let text = "음식이 정말 맛있었어요. 서비스도 친절하고.\n위생 상태가 별로였어요\nAccess2Base는 무엇인가요?\n"
        let options = #"{"kind": "mecab", "dictionary": "\#(Self.dictionary)"}"#
        let (dir, result) = try runSpec(Self.spec(options), files: ["ko.txt": text])
        #expect(result.exitCode == .ok)
        // What `mecab -d mecab-ko-dic -Owakati` prints for these lines (mecab-ko-dic 2.1.1).
        #expect(try Self.documents(dir.file("art/t.wma")) == [
            "음식 이 정말 맛있 었 어요 . 서비스 도 친절 하 고 .",
            "위생 상태 가 별로 였어요",
            "Access 2 Base 는 무엇 인가요 ?",
        ])
        let tagged = #"{"kind": "mecab", "dictionary": "\#(Self.dictionary)", "attach_pos": true, "drop_pos": ["J", "SF"]}"#
        let (dir2, result2) = try runSpec(Self.spec(tagged), files: ["ko.txt": text])
        #expect(result2.exitCode == .ok)
        let first = try Self.documents(dir2.file("art/t.wma"))[0]
        #expect(first.hasPrefix("음식/NNG 정말/MAG 맛있/VA"), "\(first)")
        #expect(!first.contains("/J") && !first.contains("./SF"))
        // The same bytes for any number of threads.
        let one = try runSpec(Self.spec(options).replacingOccurrences(of: "\"threads\": 2", with: "\"threads\": 1"), files: ["ko.txt": text])
        #expect(try FileSystem.readFile(one.0.file("art/t.wma")).count > 0)
        #expect(try Self.documents(one.0.file("art/t.wma")) == Self.documents(dir.file("art/t.wma")))
    }

    @Test func missingDictionarySaysHowToInstallIt() throws {
        let dir = TemporaryDirectory()
        dir.write("ko.txt", "음식\n")
        dir.write("spec.json", Self.spec(#"{"kind": "mecab", "dictionary": "no-such-dic"}"#))
        let run = try runWordmill(["run", dir.file("spec.json")])
        #expect(run.status == 66, "\(run.status) \(run.stderr)")
        #expect(run.stderr.contains("no MeCab dictionary at \(dir.file("no-such-dic"))") && run.stderr.contains("corpora/tools/mecab-ko-dic.sh"), "\(run.stderr)")
    }

    /// A classifier over MeCab morphemes applies to new text with the dictionary named.
    @Test func predictRunsMecabWithTheDictionaryGiven() throws {
        guard FileSystem.isRegularFile(Self.dictionary + "/sys.dic") else {
            print("skipped: predictRunsMecabWithTheDictionaryGiven needs mecab-ko-dic (corpora/tools/mecab-ko-dic.sh)")
            return
        }
        let dir = TemporaryDirectory()
        dir.write("train.tsv", "positive\t음식이 정말 맛있어요\npositive\t서비스가 친절해요\nnegative\t위생이 별로였어요\nnegative\t가격이 너무 비싸요\n")
        dir.write("spec.json", """
            {"wordmill": 1, "name": "nb-mecab", "artifacts": "art", "stages": [
              {"name": "tokens", "op": "tokenize", "inputs": "train.tsv", "format": "tsv",
               "tokenizer": {"kind": "mecab", "dictionary": "\(Self.dictionary)", "drop_pos": ["J", "E"]}},
              {"name": "vocab", "op": "vocab", "from": "tokens"},
              {"name": "bow", "op": "bag-of-words", "from": ["tokens", "vocab"]},
              {"name": "nb", "op": "train", "from": "bow", "model": "naive-bayes"}
            ]}
            """)
        #expect(try runWordmill(["run", dir.file("spec.json")]).status == 0)
        let without = try runWordmill(["predict", dir.file("art/nb.wma"), "음식이 맛있네요"])
        #expect(without.status == 66 && without.stderr.contains("--mecab-dictionary"), "\(without.stderr)")
        let with = try runWordmill(["predict", dir.file("art/nb.wma"), "--mecab-dictionary", Self.dictionary, "음식이 맛있네요", "위생이 별로네요"])
        #expect(with.status == 0, "\(with.stderr)")
        let lines = with.stdout.split(separator: "\n")
        #expect(lines.count == 3 && lines[1].hasPrefix("positive,") && lines[2].hasPrefix("negative,"), "\(with.stdout)")
    }

    /// pipelines/reviews-mecab.json on the raw review sentences: the lecture's test words come
    /// out as tokens of their own, as they did from Okt.
    @Test func reviewsPipelineFindsTheLectureTestWords() throws {
        guard FileSystem.isRegularFile(Self.dictionary + "/sys.dic") else {
            print("skipped: reviewsPipelineFindsTheLectureTestWords needs mecab-ko-dic (corpora/tools/mecab-ko-dic.sh)")
            return
        }
        let spec = try String(contentsOfFile: Repository.root + "/pipelines/reviews-mecab.json", encoding: .utf8)
            .replacingOccurrences(of: "../corpora/tools/mecab-ko-dic", with: Self.dictionary)
            .replacingOccurrences(of: "\"artifacts/reviews-mecab\"", with: "\"art\"")
            .replacingOccurrences(of: "exports/reviews-mecab/", with: "out/")
        let reviews = try String(contentsOfFile: Repository.root + "/corpora/reviews-ko/reviews.txt", encoding: .utf8)
        let (dir, result) = try runSpec(spec.replacingOccurrences(of: "../corpora/reviews-ko/reviews.txt", with: "reviews.txt"), files: ["reviews.txt": reviews])
        #expect(result.exitCode == .ok)
        let vocabulary = try Vocabulary(reader: ArtifactReader(path: dir.file("art/vocab.wma")))
        for word in ["음식", "맛", "서비스", "위생", "가격"] { #expect(vocabulary.id(of: word) != nil, "\(word) is not a token") }
    }
}
