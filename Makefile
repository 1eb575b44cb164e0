# Everything a fresh machine with Go needs: the generator and staticcheck are pinned
# in tools/go.mod, oasdiff in tools/oasdiff/go.mod, and built on first use (see the
# tools target for how long that takes).
GO      ?= go
TOOL    := $(GO) tool -modfile=tools/go.mod
# The repository's Go modules, each directory with its own go.mod and go.sum.
MODULES := $(sort $(dir $(shell find . -name go.mod -not -path '*/node_modules/*' -not -path './.git/*')))

.PHONY: all build install generate check-generated check-tidy tools tools-oasdiff test test-exporter test-prometheus prometheus-tools test-alerts test-deploy e2e-prometheus lint dist dist-check demo contract lint-spec breaking breaking-self-test fuzz bench bench-exporter bench-smoke bench-concurrency bench-startup interop image-context image

all: test

## build: every command (cmd/*) into bin/: a development build of the working tree
## (make dist builds the release archives); sendgrid-sso-exporter is a module of its
## own (EXPORTER), so that the library's users do not inherit prometheus/client_golang
CMDS := $(notdir $(wildcard cmd/*))
EXPORTER := cmd/sendgrid-sso-exporter
build:
	$(GO) build -o bin/ ./cmd/...
	cd $(EXPORTER) && $(GO) build -o ../../bin/ .
	@echo "built into bin/: $(CMDS)"

## install: every command into $$GOBIN (default $$(go env GOPATH)/bin), as go install does
install:
	$(GO) install ./cmd/...
	cd $(EXPORTER) && $(GO) install .
	@echo "installed into $$($(GO) env GOBIN || true)$$( [ -n "$$($(GO) env GOBIN)" ] || echo "$$($(GO) env GOPATH)/bin"): $(CMDS)"

## generate: regenerate gen/ from api/openapi.yaml (the only way gen/ changes)
generate:
	$(GO) generate ./...

## tools: build the pinned oapi-codegen and staticcheck (tools/go.mod) into Go's build
## cache. The first run on a machine downloads and compiles about 520 packages (1½ to
## 6½ min measured on a shared 2-core machine: CONTRIBUTING.md, "The first run"), with
## progress every 50 packages; later runs take a few seconds.
tools:
	@echo "tools: the pinned oapi-codegen and staticcheck (tools/go.mod); first run on a machine: 1½ to 6½ min measured on 2 shared cores, then cached"
	@GO=$(GO) ./tools/build.sh tools/go.mod

## tools-oasdiff: the same for oasdiff (tools/oasdiff/go.mod), used by make breaking
tools-oasdiff:
	@echo "tools: the pinned oasdiff (tools/oasdiff/go.mod); first run on a machine: 2¾ min measured on 2 shared cores, then cached"
	@GO=$(GO) ./tools/build.sh tools/oasdiff/go.mod

## check-tidy: fail when a module's go.mod or go.sum differs from what `go mod tidy`
## writes (every module in MODULES)
check-tidy:
	@for m in $(MODULES); do \
		if ! out=$$(cd $$m && $(GO) mod tidy -diff 2>&1); then \
			echo "$$m: go.mod or go.sum is not tidy: run 'cd $$m && go mod tidy' and commit the result"; \
			echo "$$out" | head -40; exit 1; fi; \
	done; echo "go.mod and go.sum tidy in: $(MODULES)"

## check-generated: fail when gen/ is stale against api/ or the generator config
check-generated: tools
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	sed "s|^output:.*|output: $$tmp/sso.gen.go|" oapi-codegen.yaml > "$$tmp/oapi-codegen.yaml" && \
	$(TOOL) oapi-codegen -config "$$tmp/oapi-codegen.yaml" api/openapi.yaml && \
	if cmp -s "$$tmp/sso.gen.go" gen/sso.gen.go; then echo "gen/ is up to date"; else \
		echo "gen/ is stale: api/openapi.yaml or oapi-codegen.yaml changed; run 'make generate' and commit gen/"; \
		diff -u gen/sso.gen.go "$$tmp/sso.gen.go" | head -40; exit 1; fi

## lint: gofmt, go vet and staticcheck (pinned in tools/go.mod)
lint: tools
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
		if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(TOOL) staticcheck ./...

## test: the fast loop: generated code fresh, modules tidy, lint clean, every test under
## -race (the first run on a machine also compiles the standard library with the race
## detector: 2 to 2½ min measured), the docs checked (internal/readme: Go blocks
## compiled, relative links resolve, README.md at most 300 lines); the fuzz targets run
## their seeds; fuzzing itself is `make fuzz`, its own CI step
test: check-generated check-tidy lint
	@echo "go test -race: the first run on a machine compiles the standard library with the race detector (2 to 2½ min measured on 2 shared cores)"
	$(GO) test -race -count=1 ./...
	$(MAKE) test-exporter

## test-exporter: the exporter's module (EXPORTER): vet, staticcheck and go test -race
## (make test runs it after the root module's tests)
test-exporter:
	cd $(EXPORTER) && $(GO) vet ./... && $(GO) tool -modfile=../../tools/go.mod staticcheck ./... && \
		$(GO) test -race -count=1 ./...

## e2e-prometheus: the exporter end to end with a real Prometheus (on PATH, or
## PROMETHEUS=path; make prometheus-tools installs it): sendgrid-sso-fake serves a
## certificate expiring in 10 days, Prometheus scrapes the exporter and evaluates
## deploy/prometheus/sendgrid-sso-alerts.yml, and SendGridSSOCertificateExpiring must
## fire within 2 min. Fails, never skips, without prometheus.
e2e-prometheus: prometheus-tools
	cd $(EXPORTER) && $(GO) vet -tags e2e ./... && \
		$(GO) test -tags e2e -count=1 -run '^TestPrometheusFiresExpiringAlert$$' -v ./...

## test-prometheus: cert --format prometheus read by Prometheus' own text parser
## (expfmt), in tests/prometheus, a module of its own so the library's go.mod stays
## small; a CI step of its own (.ci/run), like interop, so that make test stays fast
test-prometheus:
	cd tests/prometheus && $(GO) vet ./... && $(GO) tool -modfile=../../tools/go.mod staticcheck ./... && \
		$(GO) test -race -count=1 ./...

## prometheus-tools: make sure promtool and prometheus are on PATH; if not, as root
## with apt-get, install Debian's prometheus package (its service kept from starting),
## else fail saying what to install (tools/deploy/prometheus-tools.sh)
prometheus-tools:
	./tools/deploy/prometheus-tools.sh

## test-alerts: the alert rules of deploy/prometheus: promtool check rules, promtool
## test rules (sendgrid-sso-alerts_test.yml), and a self-test showing that the tests
## fail when a threshold is changed (tools/deploy/test-alerts.sh)
test-alerts: prometheus-tools
	./tools/deploy/test-alerts.sh

## test-deploy: deploy/systemd's unit through systemd-analyze verify, which it needs
## (tools/deploy/test-systemd.sh); the Kubernetes manifests and the cron script are
## tested by go test (deploy/), in make test
test-deploy:
	./tools/deploy/test-systemd.sh

## fuzz: fuzz every Fuzz target briefly, FUZZTIME each (go test takes one -fuzz target
## per run, hence the loop); a failing input lands in testdata/fuzz/ as a regression seed.
## FUZZTIME is a count of executions, not a duration: with a duration, Go 1.26's fuzz
## coordinator can report its own deadline as a failure, "context deadline exceeded" with
## no failing input (golang/go#75804, fixed in Go 1.27); CI failed on it once. 30000x
## took 0.4 to 11 s a target here, 60 s for the first eight and 8 s more for FuzzSeed, baseline corpus included.
## FUZZMINIMIZE bounds the minimizing of each new input: with go's default (60s) the
## certificate targets, whose seeds hold a 1 kB PEM, spent their whole FUZZTIME
## minimizing at 0 execs/s.
FUZZTIME ?= 30000x
FUZZMINIMIZE ?= 200x
fuzz:
	@echo "fuzz: the first run on a machine builds each package's tests with fuzzing instrumentation, silently (2¼ to 8½ min in all measured on 2 shared cores)"
	@for dir in $$(grep -rl --include='*_test.go' --exclude-dir=node_modules --exclude-dir=.git '^func Fuzz' . | xargs -n1 dirname | sort -u); do \
		for target in $$(grep -ho '^func Fuzz[A-Za-z0-9_]*' $$dir/*_test.go | sed 's/^func //'); do \
			echo "fuzz $$dir $$target ($(FUZZTIME))"; \
			$(GO) test -run '^$$' -fuzz "^$$target\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZE) ./$$dir || exit 1; \
		done; \
	done

## dist: release archives into dist/: sendgrid-sso, sendgrid-sso-fake and
## sendgrid-sso-exporter for linux, darwin and windows on amd64 and arm64 (tar.gz; zip
## for windows) and dist/SHA256SUMS,
## built from a clone of HEAD with -trimpath and wrapper.Version; reproducible, as
## internal/dist/main.go explains. DIST_PLATFORMS=linux/amd64,... builds only those.
## The first run compiles the standard library for each platform: about 4 min a
## platform on a loaded 2-core machine.
DIST_PLATFORMS ?=
dist:
	$(GO) run ./internal/dist -out dist -platforms "$(DIST_PLATFORMS)"

## dist-check: build the archives twice, the second time from another clone path with
## an empty build cache, and fail unless the two SHA256SUMS are identical (CI runs it
## for linux/amd64 alone: DIST_PLATFORMS=linux/amd64)
dist-check:
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && commit=$$(git rev-parse HEAD) && \
	$(GO) run ./internal/dist -out "$$tmp/first" -platforms "$(DIST_PLATFORMS)" -commit $$commit && \
	GOCACHE="$$tmp/gocache" $(GO) run ./internal/dist -out "$$tmp/second" -platforms "$(DIST_PLATFORMS)" -commit $$commit && \
	if cmp -s "$$tmp/first/SHA256SUMS" "$$tmp/second/SHA256SUMS"; then \
		echo "dist-check: two builds, identical archives:"; cat "$$tmp/first/SHA256SUMS"; \
	else echo "dist-check: the two builds differ:"; diff "$$tmp/first/SHA256SUMS" "$$tmp/second/SHA256SUMS"; exit 1; fi

## image-context: build/image/, a context for `docker build` or `podman build` of the
## fake's image (deploy/Dockerfile) that needs no Go and no image pull: the Dockerfile,
## make dist's sendgrid-sso-fake for linux/IMAGE_ARCH (the release binary, reproducible)
## and an empty ca/ (the CA volume's mount point, owned by the image's user)
IMAGE_ARCH ?= $(shell $(GO) env GOARCH)
image-context:
	@rm -rf build/image && mkdir -p build/image/ca && tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(GO) run ./internal/dist -out "$$tmp" -platforms linux/$(IMAGE_ARCH) && \
	tar -xzf "$$tmp"/sendgrid-sso_*_linux_$(IMAGE_ARCH).tar.gz -C build/image --strip-components=1 --wildcards '*/sendgrid-sso-fake' && \
	cp deploy/Dockerfile build/image/Dockerfile && \
	echo "build/image: the context of the fake's image; build it with: docker build --build-arg BINARY=context build/image"

## image: the fake's image, sendgrid-sso-fake:VERSION, from make image-context with
## IMAGE_TOOL (podman, else docker); a manual target, not CI (docs/testing.md says what
## runs where)
IMAGE_TOOL ?= $(shell command -v podman || command -v docker)
IMAGE_VERSION = $(shell sed -n 's/^const Version = "\(.*\)"/\1/p' internal/outbound/useragent.go)
image: image-context
	$(IMAGE_TOOL) build --build-arg BINARY=context --build-arg VERSION=$(IMAGE_VERSION) \
		--build-arg REVISION=$$(git rev-parse HEAD) -t sendgrid-sso-fake:$(IMAGE_VERSION) build/image

## demo: both operations through the real client against an in-process fake API
## (sendgrid-sso-fake demo)
demo:
	$(GO) run ./cmd/sendgrid-sso-fake demo

## contract: the contract suite, printing which declared (operation, status) pairs it covered
contract:
	$(GO) test -count=1 -run '^TestContract$$' -v ./tests/

## lint-spec: Spectral (spectral:oas, ruleset .spectral.yaml) on api/openapi.yaml, failing on
## warnings; Spectral is pinned in tools/spectral/package-lock.json and installed with npm ci
lint-spec: tools/spectral/node_modules/.package-lock.json
	cd tools/spectral && SCARF_ANALYTICS=false npx --no-install spectral lint --ruleset ../../.spectral.yaml --fail-severity=warn ../../api/openapi.yaml

# npm ci of a directory's pinned packages (package.json and package-lock.json beside
# what uses them: tools/spectral, interop), redone when either file changes.
%/node_modules/.package-lock.json: %/package.json %/package-lock.json
	cd $* && SCARF_ANALYTICS=false npm ci --ignore-scripts --no-audit --no-fund

## breaking: oasdiff (pinned in tools/oasdiff/go.mod) between api/openapi.yaml at BASE
## (default: the last tag, else HEAD~1) and the working copy; fails on a breaking change
breaking: tools-oasdiff
	./tools/oasdiff/breaking.sh $(BASE)

## breaking-self-test: show that `make breaking` fails when the 303 is removed
breaking-self-test: tools-oasdiff
	./tools/oasdiff/breaking.sh --self-test

## bench: the client against a hand-written net/http baseline and against sendgrid-go v3
## on one loopback server (bench/, its own module), BENCH_COUNT interleaved rounds of
## BENCH_TIME per implementation and operation; prints benchstat and the client's ratios
## (BENCHMARKS.md). BENCH_OUT keeps the raw results; BENCH_BEFORE=<git revision> runs
## that revision's client in the same rounds, as impl=before.
BENCH_COUNT ?= 10
BENCH_TIME  ?= 1s
bench:
	BENCH_SET=calls BENCH_COUNT=$(BENCH_COUNT) BENCH_TIME=$(BENCH_TIME) BENCH_OUT=$(BENCH_OUT) \
		BENCH_BEFORE=$(BENCH_BEFORE) ./bench/run.sh
	$(MAKE) bench-exporter

## bench-exporter: the exporter's scale targets with 1,000 certificates (BENCHMARKS.md,
## "The exporter"): the median scrape (p50-ms, at most 50) and the exporter process's
## peak RSS (VmHWM-MiB, at most 64), EXPORTER_BENCH_COUNT runs of 200 scrapes
EXPORTER_BENCH_COUNT ?= 5
bench-exporter:
	cd $(EXPORTER) && $(GO) test -run '^$$' -bench . -benchtime 200x -count $(EXPORTER_BENCH_COUNT) ./...

## bench-concurrency: 1, 8, 64 and 256 concurrent callers over TLS on loopback,
## HTTP/1.1 and HTTP/2, the three implementations interleaved: calls/s, p50/p99,
## connections opened, and the scaling targets (BENCHMARKS.md). CONC_CALLS calls per
## caller count, protocol and implementation; BENCH_COUNT rounds (default 5 here).
CONC_CALLS ?= 4000
bench-concurrency:
	BENCH_SET=concurrency BENCH_COUNT=$(if $(filter command line,$(origin BENCH_COUNT)),$(BENCH_COUNT),5) \
		BENCH_TIME=$(CONC_CALLS)x BENCH_OUT=$(BENCH_OUT) ./bench/run.sh

## bench-startup: `sendgrid-sso cert` and `login` against curl on the local fake,
## interleaved: wall and CPU time ratios, binary size, package init (BENCHMARKS.md).
## Needs curl and installs nothing (a manual target, not CI). STARTUP_ROUNDS rounds;
## STARTUP_BEFORE=<git revision> measures that revision's sendgrid-sso beside it.
STARTUP_ROUNDS ?= 100
bench-startup:
	STARTUP_ROUNDS=$(STARTUP_ROUNDS) STARTUP_BEFORE=$(STARTUP_BEFORE) ./bench/startup.sh

## bench-smoke: every benchmark once (-benchtime 1x), so that they keep compiling and
## working; vet and staticcheck the bench module
bench-smoke:
	$(GO) test -run '^$$' -bench . -benchtime 1x ./...
	cd bench && $(GO) vet ./... && $(GO) tool -modfile=../tools/go.mod staticcheck ./... && \
		$(GO) test -run '^$$' -bench . -benchtime 1x ./...
	cd $(EXPORTER) && $(GO) test -run '^$$' -bench . -benchtime 1x ./...

## interop: the official SDKs run the API documentation's two samples against the
## sendgrid-sso-fake binary, beside this client (interop/, its own module): the Node
## @sendgrid/client pinned in interop/package-lock.json (npm ci) and sendgrid-go v3.16.1 pinned in
## interop/go.mod. Asserts that the fake records no spec violation, that both SDKs follow
## the 303 and spend the code, and that this client leaves it unspent.
interop: interop/node_modules/.package-lock.json
	cd interop && $(GO) vet ./... && $(GO) tool -modfile=../tools/go.mod staticcheck ./... && \
		$(GO) test -count=1 -v ./...
