# smsarchive: the README's quick start is `make demo` and `make test`.
SWIFT ?= swift
DEPS := zlib1g-dev libzstd-dev libxxhash-dev
DEMO_ARCHIVE := archive-demo

.PHONY: deps build release test demo testdata bench clean

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

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

test: deps
	$(SWIFT) test

# Convert the sample export in testdata/ and show what came back.
demo: release
	rm -rf $(DEMO_ARCHIVE)
	.build/release/smsarchive convert testdata/export --output $(DEMO_ARCHIVE) --quiet; \
	status=$$?; [ $$status -eq 0 ] || [ $$status -eq 2 ] || exit $$status; \
	echo "exit status $$status (2 = finished, some lines rejected: the sample has bad lines on purpose)"
	.build/release/smsarchive scan $(DEMO_ARCHIVE) --limit 3
	@echo "records: $$(.build/release/smsarchive scan $(DEMO_ARCHIVE) --count)  rejects: $$(.build/release/smsarchive rejects $(DEMO_ARCHIVE) | wc -l)"
	@du -sh testdata/export $(DEMO_ARCHIVE)

# Regenerate the sample export and its expectations.
testdata:
	python3 scripts/make_testdata.py

clean:
	rm -rf .build $(DEMO_ARCHIVE)

# Generate a realistic 300,000-record export and measure smsarchive and DuckDB side by side.
bench: release
	python3 bench/run_benchmark.py
