# Thin wrappers around the scripts; the scripts are the real entry points.
.PHONY: all test run bench bench-import bench-reports bench-pg bench-million \
	format clean

all: build/build.ninja
	ninja -C build

build/build.ninja:
	scripts/deps.sh
	meson setup build

test:
	scripts/test.sh

run:
	scripts/run.sh

# Both benchmarks; each can run alone.
bench: bench-import bench-reports

bench-import:
	bench/import.sh

bench-reports:
	bench/reports.sh

# PostgreSQL against SQLite (not part of `make bench`: it starts a cluster).
bench-pg:
	bench/pg.sh

# Issue 17's figures at 1,000,000 accounts beside their peers (not part of
# `make bench`: about 6 minutes, and it starts a PostgreSQL cluster).
bench-million:
	bench/million.sh

# clang-format over the C, prettier (web/.prettierrc.json, pinned in
# web/package.json) over the web UI's JavaScript.
format:
	find src tests -name '*.[ch]' -print0 | xargs -0 -r clang-format -i
	npm --prefix web run format

clean:
	rm -rf build build-asan build-release
