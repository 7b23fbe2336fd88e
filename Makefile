# rawns: ip netns / ip link / ip addr / ping on raw rtnetlink, as one static binary.
#
#   make demo   run the seed lab end to end in a throwaway sandbox
#   make test   go vet and every test (privileged ones in a sandbox)

GO        ?= go
export GOTOOLCHAIN := local
export GOFLAGS    := -buildvcs=false
BIN       := bin/rawns
FUZZTIME  ?= 20s
BENCHTIME ?= 1s

.PHONY: all build test vet demo fuzz bench initramfs initramfs-test clean

all: build

build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "-s -w" -o $(BIN) ./cmd/rawns
	ln -sf rawns bin/ip
	ln -sf rawns bin/ping

vet:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	 if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

test: vet build
	$(GO) test -race -count=1 ./...

# The seed lab with bin/ip and bin/ping first in PATH, in a throwaway network
# and mount namespace with its own /run: nothing on the host changes.
demo: build
	@unshare -n -m --propagation private sh -c 'mount -t tmpfs rawns-demo /run && mkdir /run/netns && PATH="$(CURDIR)/bin:$$PATH" exec sh cmd/rawns/testdata/lab.sh'

fuzz:
	@echo "fuzz: not yet (issue 6)"

bench:
	@echo "bench: not yet (issue 7)"

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
