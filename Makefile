# getvpn: one non-recursive Makefile.
#   make            build ./getvpn
#   make check      install build deps (deps), build, run every test suite
#   make check SAN=1  the same under AddressSanitizer + UndefinedBehaviorSanitizer
#   make bench      benchmarks (tests/bench)
#   make fuzz       libFuzzer targets (tests/fuzz), FUZZ_SECS each (clang)
#   V=1             show the commands

CC      ?= cc
O       ?= build
PKGS    := openssl libnl-3.0 libnl-route-3.0 libnl-xfrm-3.0 libpcap
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wpointer-arith -Wcast-qual -Wno-unused-parameter
CFLAGS  ?= -O2 -g
CFLAGS  += -std=gnu11 $(WARN) -I. -D_GNU_SOURCE
LDLIBS  += -lreadline

ifeq ($(SAN),1)
O       := build-san
CFLAGS  += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
endif

ifeq ($(V),1)
Q :=
else
Q := @
endif

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CHECK_CFLAGS := $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS   := $(shell pkg-config --libs check 2>/dev/null)

LAYERS   := platform parser gdoi ipsec roles cli
LIB_SRCS := $(filter-out cli/main.c,$(foreach d,$(LAYERS),$(wildcard $(d)/*.c)))
LIB_OBJS := $(LIB_SRCS:%.c=$(O)/%.o)
MAIN_OBJ := $(O)/cli/main.o
TEST_SRCS := $(wildcard tests/unit/*.c)
TEST_OBJS := $(TEST_SRCS:%.c=$(O)/%.o)
BENCH_SRCS := $(wildcard tests/bench/*.c)

all: getvpn

ifeq ($(SAN),1)
getvpn: $(O)/getvpn
	$(Q)ln -sf $(O)/getvpn getvpn-san
else
getvpn: $(O)/getvpn
	$(Q)rm -f $@ && cp $< $@
endif

$(O)/getvpn: $(MAIN_OBJ) $(O)/libgetvpn.a
	@echo "  LD      $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(LDLIBS)

$(O)/libgetvpn.a: $(LIB_OBJS)
	@echo "  AR      $@"
	$(Q)rm -f $@ && ar rcs $@ $^

$(O)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS) $(PKG_CFLAGS) -MMD -MP -c -o $@ $<

$(O)/tests/unit/%.o: tests/unit/%.c $(O)/tests/suites.h
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS) -Wno-missing-prototypes $(PKG_CFLAGS) $(CHECK_CFLAGS) -I$(O)/tests -MMD -MP -c -o $@ $<

# Every tests/unit/check_NAME.c defines `Suite *suite_NAME(void)`; the list is derived from the files.
$(O)/tests/suites.h: $(TEST_SRCS) Makefile
	@mkdir -p $(dir $@)
	$(Q)for f in $(sort $(filter tests/unit/check_%,$(TEST_SRCS))); do \
		n=$$(basename $$f .c); n=$${n#check_}; [ "$$n" = main ] || echo "SUITE($$n)"; \
	done > $@.tmp && mv $@.tmp $@

$(O)/check_getvpn: $(TEST_OBJS) $(O)/libgetvpn.a
	@echo "  LD      $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(CHECK_LIBS) $(PKG_LIBS) $(LDLIBS)

$(O)/bench_%: tests/bench/%.c $(O)/libgetvpn.a
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS) $(PKG_CFLAGS) -o $@ $^ $(PKG_LIBS) $(LDLIBS)

# Debian packages the build, the tests and the lab need; a no-op when all are present.
DEB_PKGS := build-essential pkg-config libreadline-dev libssl-dev libnl-3-dev libnl-route-3-dev \
            libnl-xfrm-3-dev libpcap-dev check iproute2 tshark iputils-ping \
            netcat-openbsd python3
deps:
	@missing=""; for p in $(DEB_PKGS); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "  APT    $$missing"; \
		DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	fi

check: deps
	$(Q)$(MAKE) --no-print-directory getvpn $(O)/check_getvpn
	$(Q)$(MAKE) --no-print-directory check-layering check-headers check-man check-refs
	$(Q)GETVPN_BIN=$(abspath $(O)/getvpn) $(O)/check_getvpn
	$(Q)$(MAKE) --no-print-directory check-standalone

bench: getvpn $(BENCH_SRCS:tests/bench/%.c=$(O)/bench_%)
	$(Q)for b in $(BENCH_SRCS:tests/bench/%.c=$(O)/bench_%); do echo "== $$b"; $$b || exit 1; done
	$(Q)for s in $(wildcard tests/bench/*.sh); do echo "== $$s"; bash $$s || exit 1; done

# Fuzz targets (tests/fuzz/*.c, libFuzzer): built with clang into
# build-fuzz/ from the gdoi, ipsec and platform sources, each run FUZZ_SECS
# seconds on its own corpus.  Not part of check; needs clang.
FUZZ_SECS ?= 60
FUZZ_SRCS := $(wildcard tests/fuzz/*.c)
FUZZ_LIB  := $(wildcard gdoi/*.c ipsec/*.c platform/*.c)
fuzz:
	$(Q)command -v clang >/dev/null || { echo "make fuzz needs clang (apt-get install clang)"; exit 1; }
	$(Q)mkdir -p build-fuzz
	$(Q)for f in $(FUZZ_SRCS); do n=$$(basename $$f .c); \
		echo "== fuzz $$n ($(FUZZ_SECS) s)"; \
		clang -g -O1 -fsanitize=fuzzer,address,undefined -I. -D_GNU_SOURCE $(PKG_CFLAGS) \
			$$f $(FUZZ_LIB) $(PKG_LIBS) -o build-fuzz/fuzz_$$n || exit 1; \
		mkdir -p build-fuzz/corpus-$$n; \
		build-fuzz/fuzz_$$n -max_total_time=$(FUZZ_SECS) -max_len=70000 \
			-artifact_prefix=build-fuzz/$$n- build-fuzz/corpus-$$n \
			> build-fuzz/$$n.log 2>&1; rc=$$?; tail -1 build-fuzz/$$n.log; \
		[ $$rc -eq 0 ] || { echo "fuzz $$n failed: see build-fuzz/$$n.log"; exit 1; }; \
	done

# doc/design.md §3: cli -> roles, parser, platform; roles -> parser, gdoi, ipsec, platform;
# gdoi -> platform; ipsec -> platform; parser -> platform; platform -> nothing of ours.
check-layering:
	$(Q)tools/check-layering

# Every citation in the tree resolves inside it: files, and sections of doc/.
check-refs:
	$(Q)tools/check-refs

# The tracked tree alone (copied to a temporary directory) builds and passes
# the suites that once needed files from outside the repository.
check-standalone:
	$(Q)tools/check-standalone

# Every header compiles on its own.
check-headers:
	$(Q)for h in $(foreach d,$(LAYERS),$(wildcard $(d)/*.h)); do \
		echo "#include \"$$h\"" | $(CC) $(CFLAGS) $(PKG_CFLAGS) -x c -fsyntax-only - || { echo "header $$h does not compile alone"; exit 1; }; \
	done

$(O)/gen-man: tools/gen-man.c $(O)/libgetvpn.a
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS) $(PKG_CFLAGS) -o $@ $^ $(PKG_LIBS) $(LDLIBS)

# The command reference is generated from the command tables.
man: $(O)/gen-man
	$(Q)$(O)/gen-man > man/getvpn-config.5

check-man: $(O)/gen-man
	$(Q)$(O)/gen-man | cmp -s - man/getvpn-config.5 || \
		{ echo "man/getvpn-config.5 is stale: run make man"; exit 1; }

clean:
	rm -rf build build-san build-fuzz getvpn getvpn-san

.PHONY: all getvpn deps check bench fuzz check-layering check-headers check-man check-refs check-standalone man clean
-include $(shell find $(O) -name '*.d' 2>/dev/null)
