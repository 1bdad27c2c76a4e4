# smsarchive: the README's quick start is `make demo` and `make test`.
SWIFT ?= swift
DEPS := zlib1g-dev libzstd-dev libxxhash-dev libdeflate-dev
DEMO_ARCHIVE := archive-demo

.PHONY: deps build release test test-spark demo testdata bench bench-queries bench-convert bench-growth bench-python bench-lake check-arrow-leaks report-check clean fuzz fuzz-build sanitize sanitize-address sanitize-thread docs install uninstall

# Install the Debian packages the C targets link against, and the Python readers the tests use, when missing.
deps:
	@missing=""; for p in $(DEPS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing$$missing"; \
		SUDO=""; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq $$missing; \
	fi
	@# The Parquet export tests read the files back with pyarrow and DuckDB.
	@python3 -c "import pyarrow, duckdb" 2>/dev/null || python3 -m pip install --quiet pyarrow duckdb
	@# The Python package's tests (python/tests) read archives with polars too, and are type-checked with mypy.
	@python3 -c "import polars, pytest, mypy" 2>/dev/null || python3 -m pip install --quiet polars pytest mypy
	@# The Delta Lake tests read the table with delta-rs (deltalake) and polars.
	@python3 -c "import deltalake, polars" 2>/dev/null || python3 -m pip install --quiet deltalake polars
	@# The benchmarks time DuckDB's own CLI: the native binary inside the pip package duckdb-cli.
	@python3 -c "import duckdb_cli, os; assert os.path.isfile(os.path.join(os.path.dirname(duckdb_cli.__file__), 'duckdb'))" 2>/dev/null \
		|| python3 -m pip install --quiet duckdb-cli

build: deps
	$(SWIFT) build

# Release builds link the Swift runtime into the executable (SwiftPM's --static-swift-stdlib; the library
# products stay dynamic): the binary runs without the toolchain installed, and a command starts in 6 ms
# instead of 9, most of a count answered from the footers. The Python package builds with the same flags,
# so the two builds share .build/release instead of rebuilding each other.
RELEASE_FLAGS := -c release $(if $(filter Linux,$(shell uname -s)),--static-swift-stdlib)

release: deps
	$(SWIFT) build $(RELEASE_FLAGS)

# The Swift tests, then the Python package's (pyarrow, polars and DuckDB reading archives through
# libSMSArchiveC, compared with the CLI's output) and its type check.
test: deps
	$(SWIFT) test
	$(SWIFT) build --product SMSArchiveC
	$(SWIFT) build --product smsarchive
	python3 -m pytest -q -p no:cacheprovider python/tests
	cd python && python3 -m mypy

# Spark (pyspark in local mode; Java 17 or later) reads an `export --incremental --time-unit micros` lake:
# every row and column equal to scan's, a date-partition filter, a replaced day. Not in `make test` or CI:
# pyspark is a 300 MB download. About 2 minutes.
test-spark: build
	@python3 -c "import pyspark" 2>/dev/null || python3 -m pip install --quiet pyspark
	python3 scripts/spark_check.py --smsarchive .build/debug/smsarchive --work .build/spark-check

# Install the release binary, both man pages and shell completions (bash, zsh, fish) under PREFIX
# (DESTDIR for staging a package), e.g. make install PREFIX=~/.local; BIN installs another build.
PREFIX ?= /usr/local
BIN ?= .build/release/smsarchive
INSTALL_BIN := $(DESTDIR)$(PREFIX)/bin
INSTALL_MAN := $(DESTDIR)$(PREFIX)/share/man
INSTALL_BASH := $(DESTDIR)$(PREFIX)/share/bash-completion/completions
INSTALL_ZSH := $(DESTDIR)$(PREFIX)/share/zsh/site-functions
INSTALL_FISH := $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d

install: release
	install -d $(INSTALL_BIN) $(INSTALL_MAN)/man1 $(INSTALL_MAN)/man5 $(INSTALL_BASH) $(INSTALL_ZSH) $(INSTALL_FISH)
	install -m 755 $(BIN) $(INSTALL_BIN)/smsarchive
	install -m 644 man/smsarchive.1 $(INSTALL_MAN)/man1/smsarchive.1
	install -m 644 man/smsarchive-format.5 $(INSTALL_MAN)/man5/smsarchive-format.5
	$(BIN) --generate-completion-script bash >$(INSTALL_BASH)/smsarchive
	$(BIN) --generate-completion-script zsh >$(INSTALL_ZSH)/_smsarchive
	$(BIN) --generate-completion-script fish >$(INSTALL_FISH)/smsarchive.fish

uninstall:
	rm -f $(INSTALL_BIN)/smsarchive $(INSTALL_MAN)/man1/smsarchive.1 $(INSTALL_MAN)/man5/smsarchive-format.5 \
		$(INSTALL_BASH)/smsarchive $(INSTALL_ZSH)/_smsarchive $(INSTALL_FISH)/smsarchive.fish

# Convert the sample export in testdata/ and show what came back.
demo: release
	rm -rf $(DEMO_ARCHIVE)
	.build/release/smsarchive convert testdata/export --output $(DEMO_ARCHIVE) --quiet; \
	status=$$?; [ $$status -eq 0 ] || [ $$status -eq 2 ] || exit $$status; \
	echo "exit status $$status (2 = finished, some lines rejected: the sample has bad lines on purpose)"
	.build/release/smsarchive scan $(DEMO_ARCHIVE) --limit 3
	@echo "records: $$(.build/release/smsarchive scan $(DEMO_ARCHIVE) --count)  rejects: $$(.build/release/smsarchive rejects $(DEMO_ARCHIVE) | wc -l)"
	@du -sh testdata/export $(DEMO_ARCHIVE)

# The library's documentation (DocC: API reference, getting started, the format) as a static site in
# .build/docs; a warning fails the build. Open .build/docs/documentation/smsarchive/index.html through a web server.
docs: deps
	$(SWIFT) package --allow-writing-to-directory .build/docs generate-documentation --target SMSArchive --target SMSRecords --target SMSIngest --target SMSSupport \
		--enable-experimental-combined-documentation --warnings-as-errors --disable-indexing \
		--transform-for-static-hosting --output-path .build/docs

# Regenerate the sample export and its expectations.
testdata:
	python3 scripts/make_testdata.py

# Render `stats --format html` in headless Chromium (installed from Debian when missing), check the pages are
# self-contained and drew their charts, and refresh docs/stats-report.png (the README's picture). CI skips it:
# the browser is large.
report-check: build
	@command -v chromium >/dev/null 2>&1 || { SUDO=""; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium; }
	python3 scripts/check_stats_report.py --smsarchive .build/debug/smsarchive --screenshot docs/stats-report.png

clean:
	rm -rf .build .build-fuzz .build-asan .build-tsan $(DEMO_ARCHIVE)

# Generate a realistic 300,000-record export and measure smsarchive and DuckDB side by side.
bench: release
	python3 bench/run_benchmark.py

# Queries on a 10-day, 3M-record export (generated into bench-out/ unless EXPORT=DIR names one): smsarchive as
# converted and compacted against DuckDB's CLI on its sorted Parquet; writes bench-out/queries.md.
bench-queries: release
	python3 bench/query_benchmark.py $(if $(EXPORT),--export $(EXPORT)) $(BENCH_QUERIES_FLAGS)

# Convert throughput against DuckDB's CLI, plain and every blob gzipped, in alternating runs (CPU per record,
# peak RSS, ratio of medians); writes bench-out/convert.md. Meaningful only on a machine doing nothing else.
bench-convert: release
	python3 bench/convert_benchmark.py

# How a MessageId lookup's time grows with the days an archive holds: 1, 10 and 30 days.
bench-growth: release
	python3 bench/lookup_growth.py $(if $(EXPORT),--export $(EXPORT))

# DuckDB over smsarchive.scan (the Python package over libSMSArchiveC) against DuckDB over read_parquet of its
# own sorted zstd-9 Parquet, in one Python process, on the stores that bench-queries builds in WORK; and peak
# RSS of a GROUP BY over all 10 days. Writes WORK/python.md.
WORK ?= bench-out
bench-python: release
	$(SWIFT) build $(RELEASE_FLAGS) --product SMSArchiveC
	python3 bench/python_benchmark.py --work $(WORK) --out $(WORK)/python.md

# The C interface's memory under valgrind (leaks, use after free), through the Python package: every path,
# errors and a consumer stopping halfway included (scripts/check_arrow_leaks.sh).
check-arrow-leaks: deps
	@command -v valgrind >/dev/null || { SUDO=""; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq valgrind; }
	$(SWIFT) build --product SMSArchiveC
	$(SWIFT) build --product smsarchive
	scripts/check_arrow_leaks.sh .build/debug/libSMSArchiveC.so .build/debug/smsarchive

# A night's incremental export of one new day into a 10-day lake (Parquet and Delta) against exporting that day alone.
bench-lake: release
	python3 bench/lake_benchmark.py

# libFuzzer targets (Sources/Fuzz*), built with the address sanitizer; each runs for FUZZ_TIME seconds
# from its seed corpus in fuzz/corpus/ (new inputs go to .build-fuzz/corpus/, findings to .build-fuzz/findings/).
# FuzzSegment runs with 1 GiB of memory (and no malloc beyond it): a segment may not make a reader allocate
# more than the format's limits allow (256 MiB a chunk). A finding stops the run with its input saved;
# replay it with `.build/debug/FuzzX FILE` and make it a test.
FUZZ_TARGETS := FuzzJSONLine FuzzGzip FuzzSegment
FUZZ_TIME ?= 60
FUZZ_FLAGS := --scratch-path .build-fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING

fuzz-build: deps
	mkdir -p .build-fuzz
	for t in $(FUZZ_TARGETS); do \
		$(SWIFT) build $(FUZZ_FLAGS) --product $$t >.build-fuzz/build-$$t.log 2>&1 \
			|| { grep -v 'ld.gold: warning' .build-fuzz/build-$$t.log; exit 1; }; \
	done

fuzz: fuzz-build
	mkdir -p .build-fuzz/findings
	for t in $(FUZZ_TARGETS); do \
		mkdir -p .build-fuzz/corpus/$$t; \
		rss=4096; [ $$t != FuzzSegment ] || rss=1024; \
		.build-fuzz/debug/$$t -max_total_time=$(FUZZ_TIME) -timeout=10 -rss_limit_mb=$$rss -print_final_stats=1 \
			-artifact_prefix=.build-fuzz/findings/$$t- .build-fuzz/corpus/$$t fuzz/corpus/$$t 2>.build-fuzz/$$t.log; \
		status=$$?; grep -E '^(Done|stat::number_of_executed_units|stat::peak_rss_mb)' .build-fuzz/$$t.log | tr '\n' ' '; echo "$$t"; \
		rm -f /dev/shm/smsarchive-fuzz-segment-* /tmp/smsarchive-fuzz-segment-*; \
		if [ $$status -ne 0 ]; then grep -B2 -A30 -E 'ERROR|Fatal error|deadly signal' .build-fuzz/$$t.log | head -60; exit $$status; fi; \
	done

# The test suite under the address and the thread sanitizer (separate build folders; about 17 minutes for
# the address sanitizer on 2 cores, so not in CI). Leak detection is off: LeakSanitizer reports the XCTest
# and Swift runtimes' own allocations (and some of ours made on worker threads) and fails the run; left to a
# follow-up. Memory errors (overflows, use after free) are still fatal.
sanitize: sanitize-address sanitize-thread

sanitize-address: deps
	mkdir -p .build-asan
	$(SWIFT) build --build-tests --scratch-path .build-asan -Xswiftc -sanitize=address >.build-asan/build.log 2>&1 \
		|| { grep -v 'ld.gold: warning' .build-asan/build.log; exit 1; }
	ASAN_OPTIONS=detect_leaks=0 $(SWIFT) test --skip-build --scratch-path .build-asan -Xswiftc -sanitize=address

# The file-size-limit tests are skipped here: under RLIMIT_FSIZE the thread sanitizer's runtime itself dies
# with SIGBUS in the child (no code of ours maps files), which says nothing about our threads. So are the
# memory-bound tests (crafted footers under a 512 MiB address-space limit, a bomb within the limits, a large
# record's peak RSS, rejects read a segment at a time): the sanitizer's shadow memory needs far more address space and RSS than the program does.
# The 5,000-segment test is skipped too: it is about open files, not threads, and takes minutes under the sanitizer.
sanitize-thread: deps
	mkdir -p .build-tsan
	$(SWIFT) build --build-tests --scratch-path .build-tsan -Xswiftc -sanitize=thread >.build-tsan/build.log 2>&1 \
		|| { grep -v 'ld.gold: warning' .build-tsan/build.log; exit 1; }
	$(SWIFT) test --skip-build --scratch-path .build-tsan -Xswiftc -sanitize=thread --skip aFileSizeLimitFailsClearly --skip aFailedFirstConvertKeepsTheLockFile \
		--skip fiveThousandSegmentsReadUnderALimitOf256OpenFiles --skip everyWritingCommandFailsClearlyPastAFileSizeLimit \
		--skip aCraftedFooterIsDamageWithBoundedMemory --skip aBombWithinTheLimitCostsAtMostTheLimit \
		--skip aLargeRecordConvertsAndCompactsInASmallMultipleOfItsSize --skip everyRejectComesBackWithoutHoldingThemAll

# Races `compact X` against two `convert -o X` creating the same archive, STRESS_TRIALS times
# (release build), and counts the records after each trial (issue 20, item 1).
STRESS_TRIALS ?= 1000
.PHONY: stress-lock
stress-lock: release
	scripts/stress_lock.sh .build/release/smsarchive $(STRESS_TRIALS)
