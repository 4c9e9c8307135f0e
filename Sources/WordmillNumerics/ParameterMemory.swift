#if canImport(Glibc)
import Glibc
#endif

/// Memory for large parameter matrices that training reads at random rows (word2vec's and
/// GloVe's vectors): aligned to 2 MiB and, on Linux, advised as transparent huge pages. With
/// 4 KiB pages every row of a matrix larger than the TLB's reach (about 6 MiB) costs a page
/// walk as well as a cache miss; 2 MiB pages make the whole of a 300,000-word matrix fit.
/// Where the kernel offers no huge pages the advice is ignored and the memory is ordinary.
public enum ParameterMemory {
    static let hugePage = 2 << 20

    /// Uninitialised room for `count` floats; free it with `deallocate`.
    public static func allocateFloats(_ count: Int) -> UnsafeMutablePointer<Float> {
        let bytes = max(1, count) * MemoryLayout<Float>.stride
        guard bytes >= hugePage else { return .allocate(capacity: max(1, count)) }
        var raw: UnsafeMutableRawPointer?
        let rounded = (bytes + hugePage - 1) / hugePage * hugePage
        guard posix_memalign(&raw, hugePage, rounded) == 0, let raw else { fatalError("out of memory allocating \(bytes) bytes") }
        #if os(Linux)
        _ = madvise(raw, rounded, MADV_HUGEPAGE)
        #endif
        return raw.bindMemory(to: Float.self, capacity: count)
    }

    /// Frees what `allocateFloats(count)` returned.
    public static func deallocate(_ pointer: UnsafeMutablePointer<Float>, count: Int) {
        if max(1, count) * MemoryLayout<Float>.stride >= hugePage {
            free(pointer)
        } else {
            pointer.deallocate()
        }
    }
}
