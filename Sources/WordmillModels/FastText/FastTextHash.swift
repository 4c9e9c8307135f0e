/// fastText's hashing, bit for bit, so that wordmill's hashed rows equal fastText's for the
/// same words (what a `.bin` export and parity with `fasttext` need).
public enum FastTextHash {
    /// `Dictionary::hash`: 32-bit FNV-1a over the UTF-8 bytes, each byte sign-extended as a
    /// C `int8_t` before the XOR (bytes ≥ 0x80, all of Korean, XOR in 0xFFFFFFxx).
    @inline(__always)
    public static func word<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> UInt32 {
        var h: UInt32 = 2_166_136_261
        for b in bytes { h = (h ^ UInt32(bitPattern: Int32(Int8(bitPattern: b)))) &* 16_777_619 }
        return h
    }

    /// The hash of a word's text.
    public static func word(_ text: String) -> UInt32 { word(text.utf8) }

    /// `Dictionary::addWordNgrams`: for every run of 2…`n` consecutive words, the row
    /// `firstRow + h mod bucket` with h = h·116049371 + hash over the run, on 64 bits, each
    /// 32-bit hash sign-extended as fastText's `int32_t` hashes are. Appends them in fastText's
    /// order (by start, then length).
    public static func appendWordNgramRows(_ hashes: UnsafeBufferPointer<UInt32>, n: Int, bucket: Int, firstRow: Int, to rows: inout [Int32]) {
        guard n > 1, bucket > 0 else { return }
        @inline(__always) func widen(_ h: UInt32) -> UInt64 { UInt64(bitPattern: Int64(Int32(bitPattern: h))) }
        let b = UInt64(bucket)
        for i in 0..<hashes.count {
            var h = widen(hashes[i])
            var j = i + 1
            while j < hashes.count && j < i + n {
                h = h &* 116_049_371 &+ widen(hashes[j])
                rows.append(Int32(firstRow + Int(h % b)))
                j += 1
            }
        }
    }
}
