# rawns: ip netns / ip link / ip addr / ping on raw rtnetlink, as one static binary.
#
#   make demo   run the seed lab end to end in a throwaway sandbox
#   make test   go vet, every test (privileged ones in a sandbox), then every
#               fuzz target for 10 s (TESTFUZZTIME)

GO        ?= go
export GOTOOLCHAIN := local
export GOFLAGS    := -buildvcs=false
BIN       := bin/rawns
FUZZTIME  ?= 20s
BENCHTIME ?= 1s

.PHONY: all deps build test vet demo fuzz bench bench-full bench-scale initramfs initramfs-test clean

all: build

build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "-s -w" -o $(BIN) ./cmd/rawns
	ln -sf rawns bin/ip
	ln -sf rawns bin/ping

vet:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	 if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

# deps installs the apt packages, kernel and Go modules the tests use (root).
deps:
	@bash .ci/deps

# test ends with every fuzz target for TESTFUZZTIME each (make fuzz), so
# that a model left stale by a builder change, or a crasher, fails the run.
TESTFUZZTIME ?= 10s
test: deps vet build
	$(GO) test -race -count=1 -timeout 45m ./...
	@$(MAKE) --no-print-directory fuzz FUZZTIME=$(TESTFUZZTIME)

# The seed lab with bin/ip and bin/ping first in PATH, in a throwaway network
# and mount namespace with its own /run: nothing on the host changes.
demo: deps build
	@unshare -n -m --propagation private sh -c 'mount -t tmpfs rawns-demo /run && mkdir /run/netns && PATH="$(CURDIR)/bin:$$PATH" exec sh cmd/rawns/testdata/lab.sh'

# fuzz runs every Fuzz* target of FUZZPKGS for FUZZTIME each, printing the
# executions reached; a crasher fails the run and is left in the package's
# testdata/fuzz/ as a permanent seed. Plain `go test` runs the seeds only.
# Go 1.26 can end a duration-bounded run with a bare "context deadline
# exceeded" and no failing input (go.dev/issue/75804, fixed in Go 1.27); that
# is reported, not counted as a failure. New inputs are minimized for at most
# FUZZMINTIME, so that a target with long inputs keeps fuzzing.
FUZZPKGS ?= ./fuzz ./rtnl ./cmd/rawns ./cmd/rawns/ip
FUZZMINTIME ?= 5s
fuzz:
	@fail=0; n=0; start=$$(date +%s); log=$$(mktemp); \
	for pkg in $(FUZZPKGS); do \
	  ts=$$($(GO) test -list '^Fuzz' $$pkg 2>&1) || { fail=1; printf '%s: go test -list failed:\n%s\n' "$$pkg" "$$ts"; continue; }; \
	  for t in $$(echo "$$ts" | grep '^Fuzz'); do \
	    n=$$((n + 1)); \
	    if $(GO) test -run='^$$' -fuzz="^$$t\$$" -fuzztime=$(FUZZTIME) -fuzzminimizetime=$(FUZZMINTIME) $$pkg >$$log 2>&1; then \
	      note=""; \
	    elif grep -q 'context deadline exceeded' $$log && ! grep -q 'Failing input written' $$log; then \
	      note="(deadline race go.dev/issue/75804, no crasher)"; \
	    else \
	      fail=1; printf '%-14s %-18s FAILED:\n' "$$pkg" "$$t"; cat $$log; continue; \
	    fi; \
	    printf '%-14s %-18s %s %s\n' "$$pkg" "$$t" "$$(grep -o 'execs: [0-9]*' $$log | tail -n 1)" "$$note"; \
	  done; \
	done; rm -f $$log; \
	echo "fuzz: $$n targets, $(FUZZTIME) each, $$(( $$(date +%s) - start )) s in all"; \
	new=$$(git status --porcelain --untracked-files=all -- '*testdata/fuzz/*' 2>/dev/null); \
	if [ -n "$$new" ]; then echo "uncommitted seeds and crashers (commit them with their fix):"; echo "$$new"; fi; \
	exit $$fail

# bench (root, about 3 minutes) measures rawns against its Go peers and
# against iproute2, iputils and busybox, each process step in a sandbox of
# its own; it prints the table and rewrites bench/RESULTS.md and
# bench/ratios.svg. bench-full takes more samples (about 10 minutes).
bench: build
	cd bench && $(GO) run ./cmd/procbench -quick -rawns $(CURDIR)/$(BIN) -write . $(BENCHFLAGS)

bench-full: build
	cd bench && $(GO) run ./cmd/procbench -rawns $(CURDIR)/$(BIN) -write . $(BENCHFLAGS)

# bench-scale (root, about 30 s) runs only the linkshow step: ip link
# show, -j link show and addr show over 16,001 links, rawns against iproute2
# (wall time and peak RSS), and prints the rows as markdown for RESULTS.md.
bench-scale: build
	cd bench && $(GO) run ./cmd/procbench -lib=false -steps linkshow -runs 5 -md -rawns $(CURDIR)/$(BIN) $(BENCHFLAGS)

# The lab under a real kernel (issue 8): the kernel comes from
# internal/initramfs/fetch-kernel.sh into $$RAWNS_KERNEL_DIR
# (default /var/cache/rawns-kernel).
INITRAMFS := bin/initramfs.cpio

initramfs: build
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "-s -w" -o bin/init ./internal/initramfs/cmd/init
	$(GO) run ./internal/initramfs/cmd/mkinitramfs -init bin/init -rawns $(BIN) -o $(INITRAMFS)

initramfs-test: initramfs
	$(GO) run ./internal/initramfs/cmd/bootlab -image $(INITRAMFS) -log bin/initramfs-console.log

clean:
	rm -rf bin
