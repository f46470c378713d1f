# leakscope — build, demo, tests.
#
#   make deps    install the Debian packages the build and tests need (root)
#   make         build build/leakscope
#   make demo    deps + build + run the leaky demo under leakscope
#   make test    deps + build + unit tests (ASan/UBSan) + short fuzz runs + integration tests
#   make fuzz    deps + the libFuzzer targets, each run FUZZ_SECONDS (default 300)
#   make fuzz-seeds  rewrite the binary seeds (tests/fuzz/corpus/{engine,cli})
#   make bench   deps + bench-deps + build + the benchmarks (tools/bench/)
#   make vmlinux regenerate vmlinux/vmlinux.h from this kernel's BTF
#   make install the binary, tools/deploy/ and the man page under PREFIX
#                (/usr/local), below DESTDIR if given; make uninstall
#   make clean

CC       ?= cc
CLANG    ?= clang
LLVM_STRIP ?= llvm-strip
BPFTOOL  ?= $(shell command -v bpftool 2>/dev/null || echo /usr/sbin/bpftool)
BUILD    := build
VERSION  := 0.1.0

# Everything the build, the demo and the tests use, as Debian 12 packages.
DEB_PACKAGES := make gcc clang llvm libclang-rt-14-dev bpftool libbpf-dev libelf-dev zlib1g-dev \
	libcmocka-dev pkg-config libdw-dev libmicrohttpd-dev libssl-dev jq python3 python3-yaml procps \
	curl prometheus systemd graphviz chromium groff-base man-db

# What only the benchmarks compare against, kept out of DEB_PACKAGES so that
# `make test` (and CI) never installs them.
BENCH_PACKAGES := bpftrace strace valgrind nginx wrk

ARCH := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')

WARN     := -Wall -Wextra -Werror
CFLAGS   ?= -O2 -g
CFLAGS   += -std=c11 -D_GNU_SOURCE $(WARN) -I$(BUILD) -Iuser -DLEAKSCOPE_VERSION='"$(VERSION)"'
LDLIBS   := -lbpf -ldw -lelf -lz -lmicrohttpd -lcrypto -lpthread -lm
BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -Ivmlinux -Ibpf $(WARN) \
	-Wno-unused-function -Wno-unused-parameter

# Code that needs libbpf or the running system stays out of the unit tests.
SYS_SRCS  := user/leakscope.c user/trace.c user/launch.c user/snapshot.c user/procfs.c user/attach.c \
             user/facts.c user/metrics_http.c user/metrics_export.c \
             user/unwind.c user/unwind_regs.c user/symbolize.c user/report_files.c user/replay.c \
             user/caps.c user/redact_key.c user/feed.c
ALL_SRCS  := $(wildcard user/*.c)
CORE_SRCS := $(filter-out $(SYS_SRCS),$(ALL_SRCS))
SYS_OBJS  := $(patsubst user/%.c,$(BUILD)/%.o,$(filter $(SYS_SRCS),$(ALL_SRCS)))
CORE_OBJS := $(patsubst user/%.c,$(BUILD)/%.o,$(CORE_SRCS))

UNIT_TESTS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/test_*.c))
SAN_FLAGS  := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
SAN_OBJS   := $(patsubst user/%.c,$(BUILD)/san/%.o,$(CORE_SRCS))

# Every tests/fuzz/fuzz_NAME.c is a target with its seeds in
# tests/fuzz/corpus/NAME/ (the capture reader's goes here when it exists);
# the other tests/fuzz/*.c are helpers linked into each. libFuzzer is clang's
# (libclang-rt-14-dev), so this part is built with $(CLANG) whatever CC is.
FUZZ_SECONDS ?= 300
FUZZ_SAN     := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=all
FUZZ_CFLAGS  := $(filter-out -O2,$(CFLAGS)) $(FUZZ_SAN) -Itests/unit
FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_HELPERS := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/helpers/%.o,\
	$(filter-out tests/fuzz/fuzz_%.c,$(wildcard tests/fuzz/*.c)))
FUZZ_OBJS    := $(patsubst user/%.c,$(BUILD)/fuzz/core/%.o,$(CORE_SRCS))
# allocations go through tests/fuzz/alloc_fail.c, which can fail them
FUZZ_LDFLAGS := -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup,--wrap=strndup

DEMO_BIN  := $(BUILD)/tools/leaky
SCENARIOS := $(patsubst tools/scenarios/%.c,$(BUILD)/tools/%,$(wildcard tools/scenarios/*.c))

ifeq ($(V),1)
Q =
msg =
else
Q = @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

.PHONY: all deps bench-deps demo test unit integration clean vmlinux bench install uninstall \
	fuzz fuzz-build fuzz-seeds
.DELETE_ON_ERROR:
.SECONDARY:

# the flood test drives the benchmark's churn program
all: $(BUILD)/leakscope $(BUILD)/asan/leakscope $(DEMO_BIN) $(SCENARIOS) $(BUILD)/tools/churn

deps bench-deps: PKGS = $(if $(filter bench-deps,$@),$(BENCH_PACKAGES),$(DEB_PACKAGES))
deps bench-deps:
	@missing=$$(for p in $(PKGS); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		if [ "$$(id -u)" != 0 ]; then echo "make $@: run as root to install:" $$missing >&2; exit 1; fi; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

$(BUILD) $(BUILD)/san $(BUILD)/tests $(BUILD)/tools:
	$(Q)mkdir -p $@

# --- kernel side -----------------------------------------------------------
$(BUILD)/leakscope.bpf.o: bpf/leakscope.bpf.c $(wildcard bpf/*.h) vmlinux/vmlinux.h | $(BUILD)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@.tmp
	$(Q)$(LLVM_STRIP) -g $@.tmp
	$(Q)mv $@.tmp $@

$(BUILD)/leakscope.skel.h: $(BUILD)/leakscope.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name leakscope_bpf > $@

vmlinux:
	$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > vmlinux/vmlinux.h

# --- user side -------------------------------------------------------------
$(BUILD)/%.o: user/%.c $(wildcard user/*.h) bpf/events.h | $(BUILD)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(SYS_OBJS): $(BUILD)/leakscope.skel.h

$(BUILD)/leakscope: $(SYS_OBJS) $(CORE_OBJS)
	$(call msg,LD,$@)
	$(Q)$(CC) $(CFLAGS) $^ $(LDLIBS) -o $@

# leakscope itself under ASan + UBSan + LeakSanitizer, for the integration tests
ASAN_OBJS := $(patsubst user/%.c,$(BUILD)/asan/%.o,$(ALL_SRCS))

$(BUILD)/asan/%.o: user/%.c $(wildcard user/*.h) bpf/events.h $(BUILD)/leakscope.skel.h
	@mkdir -p $(BUILD)/asan
	$(call msg,CC-ASAN,$@)
	$(Q)$(CC) $(CFLAGS) $(SAN_FLAGS) -c $< -o $@

$(BUILD)/asan/leakscope: $(ASAN_OBJS)
	$(call msg,LD-ASAN,$@)
	$(Q)$(CC) $(CFLAGS) $(SAN_FLAGS) $^ $(LDLIBS) -o $@

# --- tools: the demo and the scenario programs the integration tests run ---
$(DEMO_BIN): tools/demo/leaky.c | $(BUILD)/tools
	$(call msg,CC,$@)
	$(Q)$(CC) -std=c11 -D_GNU_SOURCE -O2 -g $(WARN) $< -o $@

$(BUILD)/tools/%: tools/scenarios/%.c | $(BUILD)/tools
	$(call msg,CC,$@)
	$(Q)$(CC) -std=c11 -D_GNU_SOURCE -O2 -g $(WARN) $< -o $@ -lpthread

# --- unit tests: pure code under AddressSanitizer + UBSan ------------------
$(BUILD)/san/%.o: user/%.c $(wildcard user/*.h) bpf/events.h | $(BUILD)/san
	$(call msg,CC-SAN,$@)
	$(Q)$(CC) $(CFLAGS) $(SAN_FLAGS) -c $< -o $@

$(BUILD)/tests/%: tests/unit/%.c $(SAN_OBJS) $(wildcard tests/unit/*.h) | $(BUILD)/tests
	$(call msg,CC-TEST,$@)
	$(Q)$(CC) $(CFLAGS) $(SAN_FLAGS) -Itests/unit $< $(SAN_OBJS) -lcmocka -lz -lcrypto -lm -o $@

unit: deps $(UNIT_TESTS)
	@sh tests/run_unit.sh $(UNIT_TESTS)

integration: deps all
	@sh tests/integration/run_all.sh

test: deps all $(UNIT_TESTS) $(FUZZ_TARGETS)
	@sh tests/run_all.sh $(UNIT_TESTS)

demo: deps all
	@sh tools/demo/run_demo.sh

# --- fuzzing: libFuzzer targets over the pure code (tests/fuzz/) ----------
$(BUILD)/fuzz/core/%.o: user/%.c $(wildcard user/*.h) bpf/events.h
	@mkdir -p $(@D)
	$(call msg,CC-FUZZ,$@)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(BUILD)/fuzz/helpers/%.o: tests/fuzz/%.c $(wildcard tests/fuzz/*.h) $(wildcard user/*.h)
	@mkdir -p $(@D)
	$(call msg,CC-FUZZ,$@)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJS) $(FUZZ_HELPERS) $(wildcard tests/fuzz/*.h) \
		$(wildcard tests/unit/*.h)
	$(call msg,LD-FUZZ,$@)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer $(FUZZ_LDFLAGS) $< $(FUZZ_OBJS) $(FUZZ_HELPERS) \
		-lz -lcrypto -lm -o $@

fuzz-build: $(FUZZ_TARGETS)

fuzz: deps $(FUZZ_TARGETS)
	@FUZZ_RUN_SECONDS=$(FUZZ_SECONDS) FUZZ_KEEP_CORPUS=1 sh tests/run_fuzz.sh

# The binary seeds are committed; this rewrites them from tools/fuzz/gen_seeds.c.
$(BUILD)/tools/gen_seeds: tools/fuzz/gen_seeds.c tests/unit/events_build.h tests/fuzz/engine_input.h \
		bpf/events.h | $(BUILD)/tools
	$(call msg,CC,$@)
	$(Q)$(CC) -std=c11 -D_GNU_SOURCE -O2 -g $(WARN) -Itests/unit -Itests/fuzz $< -o $@

fuzz-seeds: $(BUILD)/tools/gen_seeds
	$(BUILD)/tools/gen_seeds tests/fuzz/corpus

# --- benchmarks: programs that print figures (tools/bench/) ----------------
$(BUILD)/tools/churn: tools/bench/churn.c | $(BUILD)/tools
	$(call msg,CC,$@)
	$(Q)$(CC) -std=c11 -D_GNU_SOURCE -O2 -g $(WARN) $< -o $@ -lpthread

$(BUILD)/tools/rate: tools/bench/rate.c | $(BUILD)/tools
	$(call msg,CC,$@)
	$(Q)$(CC) -std=c11 -D_GNU_SOURCE -O2 -g $(WARN) $< -o $@ -lpthread

$(BUILD)/tools/engine_bench: tools/bench/engine_bench.c $(CORE_OBJS) | $(BUILD)/tools
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $< $(CORE_OBJS) -lz -lcrypto -lm -o $@

$(BUILD)/floor.bpf.c: $(BUILD)/leakscope.bpf.o tools/bench/gen_floor.sh
	$(call msg,GEN,$@)
	$(Q)sh tools/bench/gen_floor.sh $< > $@

$(BUILD)/floor.bpf.o: $(BUILD)/floor.bpf.c
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/tools/floor: tools/bench/floor.c | $(BUILD)/tools
	$(call msg,CC,$@)
	$(Q)$(CC) -std=c11 -D_GNU_SOURCE -O2 -g $(WARN) $< -o $@ -lbpf -lelf -lz

bench: deps bench-deps all $(BUILD)/tools/churn $(BUILD)/tools/rate $(BUILD)/tools/engine_bench $(BUILD)/tools/floor $(BUILD)/floor.bpf.o
	@sh tools/bench/run_bench.sh

# --- install: the binary, the deploy files, the man page when there is one --
PREFIX   ?= /usr/local
SBINDIR  := $(PREFIX)/sbin
SHAREDIR := $(PREFIX)/share/leakscope
MAN8DIR  := $(PREFIX)/share/man/man8
DEPLOY_DATA := tools/deploy/leakscope.rules.yml tools/deploy/leakscope.rules.test.yml \
	tools/deploy/leakscope-daemonset.yaml
MAN_PAGE := $(wildcard tools/man/leakscope.8)

# the unit's ExecStart names the binary where this PREFIX puts it
install: $(BUILD)/leakscope
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(SHAREDIR)
	install -m 0755 $(BUILD)/leakscope $(DESTDIR)$(SBINDIR)/leakscope
	install -m 0644 $(DEPLOY_DATA) $(DESTDIR)$(SHAREDIR)/
	sed 's|/usr/local/sbin/leakscope|$(SBINDIR)/leakscope|' tools/deploy/leakscope.service \
		> $(DESTDIR)$(SHAREDIR)/leakscope.service
	chmod 0644 $(DESTDIR)$(SHAREDIR)/leakscope.service
ifneq ($(MAN_PAGE),)
	install -d $(DESTDIR)$(MAN8DIR)
	install -m 0644 $(MAN_PAGE) $(DESTDIR)$(MAN8DIR)/leakscope.8
endif

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/leakscope $(DESTDIR)$(MAN8DIR)/leakscope.8
	rm -f $(addprefix $(DESTDIR)$(SHAREDIR)/,$(notdir $(DEPLOY_DATA)) leakscope.service)
	-rmdir $(DESTDIR)$(SHAREDIR)

clean:
	rm -rf $(BUILD)
