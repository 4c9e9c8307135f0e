import Testing
@testable import WordmillSupport
@Suite struct JSONTests {
    @Test func parsesAndKeepsIntegersApart() throws {
        let v = try JSONParser.parse(#"{"a": 1, "b": 1.5, "c": [true, null, "x\u00e9\n"], "d": -2e3}"#)
        #expect(v["a"] == .int(1))
        #expect(v["b"] == .double(1.5))
        #expect(v["c"] == .array([.bool(true), .null, .string("xé\n")]))
        #expect(v["d"] == .double(-2000))
    }

    @Test func canonicalTextIsSortedAndCompact() throws {
        let v = try JSONParser.parse("{ \"z\": [1, 2],\n \"a\": {\"y\": \"é\", \"b\": 0.0005} }")
        #expect(v.canonicalText == #"{"a":{"b":0.0005,"y":"é"},"z":[1,2]}"#)
        #expect(try JSONParser.parse(v.canonicalText) == v)
    }

    @Test func surrogatePairs() throws {
        #expect(try JSONParser.parse(#""\ud83d\ude00""#) == .string("😀"))
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(#""\ud83d""#) }
    }

    @Test func errorsSayWhere() {
        do {
            _ = try JSONParser.parse("{\n  \"a\": 1,\n  \"b\": tru\n}")
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 3)
            #expect(error.column == 8)
            #expect(error.reason.contains("true"))
        }
        do {
            _ = try JSONParser.parse(#"{"a": 1, "a": 2}"#)
            Issue.record("expected an error")
        } catch {
            #expect(error.reason.contains("duplicate key \"a\""))
        }
        for bad in ["", "[1,]", "{\"a\" 1}", "01", "1.", "\"abc", "[1] 2", "{\"a\":\"\u{01}\"}", "1e999"] {
            #expect(throws: JSONSyntaxError.self, "\(bad.debugDescription)") { try JSONParser.parse(bad) }
        }
    }
}
