# The two commands of the README. The real build is meson + ninja; this file
# only makes sure the tools are there and names the everyday jobs.
BUILD     ?= build
BUILD_SAN ?= build-san
TPT       := $(BUILD)/tpt

.PHONY: all deps run check bench bench-web bench-backends fuzz install clean

all: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

deps:
	@scripts/install-deps

$(BUILD)/build.ninja:
	meson setup $(BUILD) --buildtype=release

$(BUILD_SAN)/build.ninja:
	meson setup $(BUILD_SAN) --buildtype=debug -Db_sanitize=address,undefined

# The main job: the web application on http://127.0.0.1:8321, kept in the
# default SQLite database ($XDG_DATA_HOME/tpt/tpt.db), until Ctrl-C.
run: all
	./$(TPT) serve $(if $(LISTEN),--listen $(LISTEN))

# Every test, in a release build and again under ASan+UBSan.
check: deps $(BUILD)/build.ninja $(BUILD_SAN)/build.ninja
	scripts/check $(BUILD) $(BUILD_SAN)

bench: all
	bench/run $(TPT)
	bench/run-records $(BUILD)
	bench/run-eval $(TPT)

# tpt serve against nginx under wrk (installs wrk and nginx when run as root),
# and whether it still answers while crowds of clients hold connections.
bench-web: all
	bench/run-web $(TPT)
	bench/run-limits $(TPT)

# SQLite against PostgreSQL (a throwaway cluster) under the web app's load.
bench-backends: all
	bench/run-backends $(BUILD)

fuzz:
	@scripts/install-deps fuzz
	scripts/fuzz

install: all
	meson install -C $(BUILD)

clean:
	rm -rf $(BUILD) $(BUILD_SAN) build-fuzz
