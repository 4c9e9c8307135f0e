import Foundation
import Testing
import WordmillArtifacts
import WordmillData
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
}
