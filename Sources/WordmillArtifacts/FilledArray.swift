extension Array where Element: BitwiseCopyable {
    /// An array of `count` elements that `fill` writes in place, without zeroing them first
    /// (a large array of zeros writes every page once more before its real bytes arrive).
    /// `fill` must write all of them or throw; its error is rethrown.
    static func filled<E: Error>(count: Int, _ fill: (UnsafeMutableRawBufferPointer) throws(E) -> Void) throws(E) -> [Element] {
        var failure: E?
        let out = [Element](unsafeUninitializedCapacity: count) { out, initialized in
            do throws(E) {
                try fill(UnsafeMutableRawBufferPointer(out))
                initialized = count
            } catch {
                failure = error
                initialized = 0
            }
        }
        if let failure { throw failure }
        return out
    }
}
