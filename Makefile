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

.PHONY: all deps build asan run test check-style fuzz bench bench-import bench-logic bench-screen bench-plan bench-serve clean

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
# database), a fees-relief fund's optimal plan (not committed), and then the
# server with the staff UI on it, until Ctrl-C.  The demo accounts' password
# is for the synthetic demo data only.
LISTEN    ?= 127.0.0.1:8080
DEMO_PASS ?= homeward-demo-password
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
	@for role in admin case_manager legal finance funder; do \
	     [ -n "$$(sqlite3 $(DB) "SELECT 1 FROM users WHERE email = '$$role@demo.example'")" ] || \
	     echo "$(DEMO_PASS)" | $(BUILD)/homeward user add --db $(DB) --email $$role@demo.example \
	         --role $$role --org 1 >/dev/null; \
	 done
	@echo
	@echo "Staff UI: http://$(LISTEN)/  -- sign in as admin@demo.example (or case_manager@,"
	@echo "legal@, finance@, funder@demo.example) with the password $(DEMO_PASS)"
	@$(BUILD)/homeward serve --db $(DB) --listen $(LISTEN) --rules rules

check-style:
	@scripts/check-style.sh

# Every test, in the optimised build and again under ASan+UBSan; the fuzzers;
# and the staff UI in headless Chromium (screenshots in build/e2e/screenshots).
test: build asan
	@scripts/check-style.sh
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	@cd $(ASAN_BUILD) && ctest --output-on-failure -j $(JOBS)
	@scripts/fuzz.sh 20
	@tests/e2e/run.sh $(BUILD)/homeward $(BUILD)/e2e

fuzz: deps
	@scripts/fuzz.sh 60

# Benchmarks print figures; each compares with its reference in the same run.
bench: bench-import bench-logic bench-screen bench-plan bench-serve

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

bench-serve: build
	@scripts/install-deps.sh bench
	@bench/serve.sh

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
