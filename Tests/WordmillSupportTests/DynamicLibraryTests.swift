import Testing
@testable import WordmillSupport
/// OpenBLAS and libmecab are opened on first use by the first of several names that loads;
/// a library that is nowhere gives every name's reason, and a missing symbol is nil.
@Suite struct DynamicLibraryTests {
    @Test func theFirstNameThatLoadsIsOpened() throws {
        let library = try DynamicLibrary.open(["libwordmill-no-such-library.so.9", "libzstd.so.1"]).get()
        #expect(library.name == "libzstd.so.1")
        typealias Bound = @convention(c) (Int) -> Int
        let bound = try #require(library.function("ZSTD_compressBound", as: Bound.self))
        #expect(bound(1000) > 1000)
        #expect(library.function("no_such_symbol_anywhere", as: Bound.self) == nil)
    }

    @Test func aLibraryThatIsNowhereNamesEveryAttempt() {
        let names = ["libwordmill-missing-a.so", "libwordmill-missing-b.so"]
        guard case .failure(let error) = DynamicLibrary.open(names) else {
            Issue.record("a missing library opened")
            return
        }
        #expect(error.reasons.count == 2)
        #expect(error.description.contains("libwordmill-missing-a.so") && error.description.contains("libwordmill-missing-b.so"))
    }
}
