# Homeward: the two commands are 'make run' and 'make test'.
# CMake does the real work; this file installs what is missing and picks
# the build directories.

BUILD      ?= build
ASAN_BUILD ?= build-asan
DB         ?= demo.db
PEOPLE     ?= 20000
SEED       ?= 1
WERROR     ?= OFF
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: all deps build asan run test check-style fuzz bench bench-import bench-logic bench-screen bench-plan clean

all: build

deps:
	@scripts/install-deps.sh test

build: deps
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHW_WERROR=$(WERROR) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

asan: deps
	@cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DHW_SANITIZE=ON -DHW_WERROR=$(WERROR) >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)

# The main job: a demo database of synthetic records, its summary, every
# record screened against the rule packs (determinations stored in the
# database), and a fees-relief fund's optimal plan (not committed).
run: build
	@test -f $(DB) || $(BUILD)/homeward demo --db $(DB) --people $(PEOPLE) --seed $(SEED)
	@$(BUILD)/homeward stats --db $(DB)
	@echo
	@$(BUILD)/homeward rules test --rules rules
	@$(BUILD)/homeward screen --db $(DB) --rules rules
	@echo
	@fund=$$(sqlite3 $(DB) "SELECT min(id) FROM funds" 2>/dev/null); \
	 [ -n "$$fund" ] || fund=$$($(BUILD)/homeward fund add --db $(DB) --org 1 \
	     --name "Demo freedom fund" --budget 5000000 --donor "Demo donors" | tail -1); \
	 $(BUILD)/homeward plan --db $(DB) --fund $$fund --objective weighted --dry-run

check-style:
	@scripts/check-style.sh

# Every test, in the optimised build and again under ASan+UBSan.
test: build asan
	@scripts/check-style.sh
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	@cd $(ASAN_BUILD) && ctest --output-on-failure -j $(JOBS)
	@scripts/fuzz.sh 20

fuzz: deps
	@scripts/fuzz.sh 60

# Benchmarks print figures; each compares with its reference in the same run.
bench: bench-import bench-logic bench-screen bench-plan

bench-import: build
	@scripts/install-deps.sh bench
	@bench/import.sh

bench-logic: build
	@scripts/install-deps.sh bench
	@bench/logic.sh

bench-screen: build
	@scripts/install-deps.sh bench
	@bench/screen.sh

bench-plan: build
	@scripts/install-deps.sh bench
	@bench/plan.sh

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
