# getvpn: one non-recursive Makefile.
#   make            build ./getvpn
#   make check      install build deps (deps), build, run every test suite
#   make check SAN=1  the same under AddressSanitizer + UndefinedBehaviorSanitizer
#   make bench      benchmarks (tests/bench)
#   make fuzz       libFuzzer targets (tests/fuzz), FUZZ_SECS each (clang)
#   make install    FHS install under DESTDIR (PREFIX=/usr)
#   make package    the Debian package, built with dpkg-buildpackage in $(O)/pkg
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
            netcat-openbsd python3 openssh-server python3-netmiko ansible
deps:
	@missing=""; for p in $(DEB_PKGS); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "  APT    $$missing"; \
		DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	fi

# `make install`: the FHS layout the systemd unit expects.  /run/getvpn is
# made by the unit (RuntimeDirectory), not installed.
PREFIX    ?= /usr
SBINDIR   ?= $(PREFIX)/sbin
MANDIR    ?= $(PREFIX)/share/man
UNITDIR   ?= /lib/systemd/system
SYSCONFDIR ?= /etc
STATEDIR  ?= /var/lib
install: getvpn
	install -D -m 0755 getvpn $(DESTDIR)$(SBINDIR)/getvpn
	install -D -m 0644 man/getvpn.8 $(DESTDIR)$(MANDIR)/man8/getvpn.8
	install -D -m 0644 man/getvpn-config.5 $(DESTDIR)$(MANDIR)/man5/getvpn-config.5
	install -D -m 0644 packaging/getvpn.service $(DESTDIR)$(UNITDIR)/getvpn.service
	install -d -m 0750 $(DESTDIR)$(SYSCONFDIR)/getvpn
	install -d -m 0700 $(DESTDIR)$(STATEDIR)/getvpn $(DESTDIR)$(STATEDIR)/getvpn/keys \
		$(DESTDIR)$(STATEDIR)/getvpn/state
	getent group getvpn >/dev/null || groupadd --system getvpn

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/getvpn $(DESTDIR)$(MANDIR)/man8/getvpn.8 \
		$(DESTDIR)$(MANDIR)/man5/getvpn-config.5 $(DESTDIR)$(UNITDIR)/getvpn.service

# The Debian package from the files of this tree (committed or not), built
# in a copy so that dpkg-buildpackage's output stays under $(O)/pkg.
PKG_DEB_PKGS := debhelper dpkg-dev
VERSION := $(shell sed -n 's/^\#define GETVPN_VERSION "\(.*\)"/\1/p' cli/version.h)
package:
	$(Q)$(MAKE) --no-print-directory deps DEB_PKGS="$(DEB_PKGS) $(PKG_DEB_PKGS)"
	$(Q)rm -rf $(O)/pkg && mkdir -p $(O)/pkg/getvpn-$(VERSION)
	$(Q)git ls-files -co --exclude-standard | tar -cf - -T - | tar -C $(O)/pkg/getvpn-$(VERSION) -xf -
	$(Q)cd $(O)/pkg/getvpn-$(VERSION) && dpkg-buildpackage -b -us -uc -j2 >../build.log 2>&1 || \
		{ tail -30 ../build.log; exit 1; }
	$(Q)ls $(O)/pkg/*.deb

# The package round trip (root): install into a copy-on-write root, start
# the daemon as the unit does, attach a vty, stop it, purge.
check-package: package
	$(Q)tests/package/roundtrip.sh $(O)/pkg/getvpn_$(VERSION)_*.deb

# Test timeouts guard against hangs, not speed: tripled so a busy machine
# (or SAN=1) does not fail a test that is merely slow.
check: deps
	$(Q)$(MAKE) --no-print-directory getvpn $(O)/check_getvpn
	$(Q)$(MAKE) --no-print-directory check-layering check-calls check-headers check-man \
		check-log-format check-refs
	$(Q)CK_TIMEOUT_MULTIPLIER=$${CK_TIMEOUT_MULTIPLIER:-3} GETVPN_BIN=$(abspath $(O)/getvpn) $(O)/check_getvpn
	$(Q)$(MAKE) --no-print-directory check-parsers
	$(Q)$(MAKE) --no-print-directory check-package
	$(Q)$(MAKE) --no-print-directory check-standalone

# `| json` read by Python's JSON parser; show version / show interfaces
# read by Ansible's own cisco.ios parsers when Debian's ansible package is
# installed (it is large: not in deps).
check-parsers: $(O)/getvpn
	$(Q)/usr/bin/python3 tests/parsers/json_shows.py $(abspath $(O)/getvpn)
	$(Q)if /usr/bin/python3 -c 'import ansible_collections.cisco.ios' 2>/dev/null; then \
		/usr/bin/python3 tests/parsers/ios_facts.py $(abspath $(O)/getvpn); \
	else echo "check-parsers: skipped (apt-get install ansible to run it)"; fi

bench: getvpn $(BENCH_SRCS:tests/bench/%.c=$(O)/bench_%)
	$(Q)for b in $(BENCH_SRCS:tests/bench/%.c=$(O)/bench_%); do echo "== $$b"; $$b || exit 1; done
	$(Q)for s in $(wildcard tests/bench/*.sh); do echo "== $$s"; bash $$s || exit 1; done

# Fuzz targets (tests/fuzz/*.c, libFuzzer): built with clang into
# build-fuzz/ from the gdoi, ipsec and platform sources (cli_* targets:
# every library source), each run FUZZ_SECS seconds on its own corpus.
# FUZZ=NAME runs one target.  Not part of check; needs clang.
FUZZ_SECS ?= 60
FUZZ_SRCS := $(if $(FUZZ),tests/fuzz/$(FUZZ).c,$(wildcard tests/fuzz/*.c))
FUZZ_LIB  := $(wildcard gdoi/*.c ipsec/*.c platform/*.c)
fuzz:
	$(Q)command -v clang >/dev/null || { echo "make fuzz needs clang (apt-get install clang)"; exit 1; }
	$(Q)mkdir -p build-fuzz
	$(Q)for f in $(FUZZ_SRCS); do n=$$(basename $$f .c); \
		case $$n in cli_*) lib="$(LIB_SRCS) -lreadline";; *) lib="$(FUZZ_LIB)";; esac; \
		echo "== fuzz $$n ($(FUZZ_SECS) s)"; \
		clang -g -O1 -fsanitize=fuzzer,address,undefined -I. -D_GNU_SOURCE $(PKG_CFLAGS) \
			$$f $$lib $(PKG_LIBS) -o build-fuzz/fuzz_$$n || exit 1; \
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

# The files of each module call each other one way: no cycle in the call
# graph nm reads from the objects but those tools/check-calls.allowed
# keeps (HACKING.md); the checker itself is tested on tests/calls first.
check-calls: $(LIB_OBJS) $(MAIN_OBJ)
	$(Q)CC="$(CC)" tests/calls/run
	$(Q)tools/check-calls $(O) $(LAYERS)

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

# gdoi_log() calls are format-checked: the known-bad call must not compile.
check-log-format:
	$(Q)$(CC) -std=gnu11 $(WARN) -I. -fsyntax-only -DGOOD \
		tests/compile/gdoi_log_bad_args.c
	$(Q)if $(CC) -std=gnu11 $(WARN) -I. -fsyntax-only \
		tests/compile/gdoi_log_bad_args.c 2>/dev/null; then \
		echo "tests/compile/gdoi_log_bad_args.c compiled: gdoi_log is not format-checked"; \
		exit 1; fi

check-man: $(O)/gen-man
	$(Q)$(O)/gen-man | cmp -s - man/getvpn-config.5 || \
		{ echo "man/getvpn-config.5 is stale: run make man"; exit 1; }

clean:
	rm -rf build build-san build-fuzz getvpn getvpn-san

.PHONY: all getvpn deps check bench fuzz check-layering check-calls check-headers check-man \
	check-parsers man check-log-format check-refs check-standalone clean install uninstall \
	package check-package
-include $(shell find $(O) -name '*.d' 2>/dev/null)
