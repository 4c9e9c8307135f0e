# wordmill — the two set-up commands are `make run` and `make test` (see README.md).
SWIFT ?= swift
BIN_RELEASE := .build/release/wordmill
QUICKSTART := pipelines/quickstart.json
QUICKSTART_ARTIFACTS := pipelines/artifacts/quickstart
TEST_WORDS := 음식 맛 서비스 위생 가격

# Release builds use AVX2 where the CPU has it (the word2vec and GloVe loops run ~18 % faster);
# results are bit-identical either way, since Swift never fuses multiply-adds on its own.
RELEASE_FLAGS := $(shell grep -qw avx2 /proc/cpuinfo 2>/dev/null && echo "-Xswiftc -target-cpu -Xswiftc haswell")
# The Swift runtime and Foundation linked in statically where the toolchain has them: the
# binary is larger (about 80 MB) but starts in about 9 ms instead of 16, which is a sixth of
# tokenizing a 2 MB corpus and most of `wordmill similar`.
# Linked with the toolchain's lld where it has one: gold warns about a `mktemp` inside the static
# Foundation archive (wordmill never calls it), and lld links the 80 MB binary faster.
SWIFT_BIN_DIR := $(shell dirname "$$(readlink -f "$$(command -v $(SWIFT))")")
STATIC_FLAGS := $(shell test -f "$(SWIFT_BIN_DIR)/../lib/swift_static/linux/libFoundation.a" && echo "--static-swift-stdlib")
STATIC_FLAGS += $(shell test -x "$(SWIFT_BIN_DIR)/ld.lld" && echo "-Xswiftc -use-ld=lld")

.PHONY: deps release run test test-venv fuzz clean

# System libraries: libzstd (artifacts), OpenBLAS (matrix products) and MeCab (Korean morphological analysis).
deps:
	@command -v $(SWIFT) >/dev/null 2>&1 || { echo "error: no Swift toolchain on PATH; install Swift 6 (https://www.swift.org/install/linux/) and retry" >&2; exit 1; }
	@if ! pkg-config --exists libzstd openblas 2>/dev/null || [ ! -f /usr/include/mecab.h ]; then \
		echo "installing libzstd-dev, libopenblas-dev, libmecab-dev and pkg-config with apt-get"; \
		SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
		$$SUDO apt-get update && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y libzstd-dev libopenblas-dev libmecab-dev pkg-config; \
	fi

# The tests' Python: a virtual environment with jsonschema, which checks the generated spec
# schema (`wordmill schema`) as editors and CI tools would, and numpy, gensim and fastText's
# package, which load wordmill's exports as their users would. Debian's python3 needs
# python3-venv. fastText's prebuilt wheels (fasttext-wheel) stop at Python 3.11; on a newer
# Python pip builds fasttext from source, which needs g++.
TEST_VENV := .venv-test
test-venv:
	@if ! python3 -c "import ensurepip, venv" >/dev/null 2>&1; then \
		echo "installing python3 and python3-venv with apt-get"; \
		SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
		$$SUDO apt-get update && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y python3 python3-venv; \
	fi
	@$(TEST_VENV)/bin/python3 -c "import jsonschema, numpy, gensim, fasttext" >/dev/null 2>&1 || { \
		rm -rf $(TEST_VENV) && python3 -m venv $(TEST_VENV) && \
		$(TEST_VENV)/bin/python3 -m pip install --quiet "jsonschema>=4.18" "numpy<2" "gensim==4.4.0" && \
		{ $(TEST_VENV)/bin/python3 -m pip install --quiet "fasttext-wheel==0.9.2" || { \
			command -v g++ >/dev/null || { SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; $$SUDO apt-get update && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y g++; }; \
			$(TEST_VENV)/bin/python3 -m pip install --quiet "fasttext==0.9.3"; }; }; }

release: deps
	$(SWIFT) build -c release --product wordmill $(RELEASE_FLAGS) $(STATIC_FLAGS)

# Runs the bundled example pipeline (the lecture's word2vec on the review sentences).
run: release
	$(BIN_RELEASE) run $(QUICKSTART)
	@echo
	@echo "Nearest neighbours of the lecture's test words, CBOW ($(QUICKSTART_ARTIFACTS)/cbow.wma):"
	@$(BIN_RELEASE) similar $(QUICKSTART_ARTIFACTS)/cbow.wma $(TEST_WORDS) -k 5
	@echo
	@echo "Nearest neighbours, skip-gram ($(QUICKSTART_ARTIFACTS)/skipgram.wma):"
	@$(BIN_RELEASE) similar $(QUICKSTART_ARTIFACTS)/skipgram.wma $(TEST_WORDS) -k 5
	@echo
	@echo "Vectors exported to pipelines/exports/quickstart/ (word2vec text format)."
	@echo "With the lecture's settings (ten sentences, lr 5e-4, 5 epochs) the embeddings barely move from"
	@echo "their random start, so these neighbours show the machinery, not meaning; larger corpora come later."

# Checks that every target declares what it imports, builds everything (the CLI too:
# end-to-end tests run it) and runs the whole test suite.
test: deps test-venv
	@PATH="$(CURDIR)/$(TEST_VENV)/bin:$$PATH" corpora/tools/mecab-ko-dic.sh >/dev/null || echo "warning: mecab-ko-dic could not be installed; the MeCab tests will fail"
	@corpora/tools/slurm-cluster.sh >/dev/null || echo "warning: the one-node Slurm cluster did not start; the --executor slurm tests will fail"
	python3 .ci/check-imports.py
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

# The artifact reader and the decoders behind it under libFuzzer (a separate package in fuzz/,
# built with -sanitize=fuzzer), seeded with the artifacts of three small bundled pipelines.
FUZZ_RUNS ?= 500000
FUZZ_CORPUS := .build/fuzz-corpus
fuzz: release
	$(SWIFT) build --package-path fuzz -c release -Xswiftc -sanitize=fuzzer -Xswiftc -parse-as-library
	@mkdir -p $(FUZZ_CORPUS)
	@for p in hello-char-rnn reviews-naive-bayes reviews-glove; do \
		$(BIN_RELEASE) run pipelines/$$p.json --quiet || exit 1; \
		for f in pipelines/artifacts/$$p/*.wma; do cp "$$f" "$(FUZZ_CORPUS)/$$p-$$(basename $$f)"; done; \
	done
	fuzz/.build/release/ArtifactFuzzer $(FUZZ_CORPUS) -runs=$(FUZZ_RUNS) -rss_limit_mb=2048 -timeout=10

clean:
	rm -rf .build fuzz/.build pipelines/artifacts pipelines/exports $(TEST_VENV)
