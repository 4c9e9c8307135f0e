import Testing
@testable import WordmillArtifacts

@Suite struct XXH64Tests {
    @Test func knownValues() {
        #expect(XXH64.hash(Array("".utf8)) == 0xEF46_DB37_51D8_E999)
        #expect(XXH64.hash(Array("abc".utf8)) == 0x44BC_2CF5_AD77_0999)
        #expect(XXH64.hash(Array("Nobody inspects the spammish repetition".utf8)) == 0xFBCE_A83C_8A37_8BF1)
    }

    @Test func streamingEqualsOneShot() {
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let whole = XXH64.hash(bytes, seed: 99)
        for split in [0, 1, 7, 31, 32, 33, 64, 500, 999, 1000] {
            var h = XXH64(seed: 99)
            h.update(Array(bytes[0..<split]))
            h.update(Array(bytes[split...]))
            #expect(h.digest == whole, "split at \(split)")
        }
        #expect(XXH64.hash(bytes, seed: 1) != whole)
    }

    @Test func hexRoundTrip() {
        #expect(UInt64(0x0123_4567_89AB_CDEF).hex16 == "0123456789abcdef")
        #expect(UInt64(hex16: "0000000000000001") == 1)
        #expect(UInt64(hex16: "1") == nil)
    }
}
