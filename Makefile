# A thin front door to meson: `make run`, `make test`, `make bench`.

BUILDDIR ?= _build
MESON_OPTS ?=
NINJA ?= ninja

.PHONY: all deps setup build run test bench install clean

all: build

deps:
	@build-aux/install-deps

$(BUILDDIR)/build.ninja:
	@$(MAKE) --no-print-directory deps
	meson setup $(BUILDDIR) $(MESON_OPTS)

setup: $(BUILDDIR)/build.ninja

build: setup
	$(NINJA) -C $(BUILDDIR)

# The applet where a display exists, the CLI's live view otherwise.
run: build
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ] && [ -x $(BUILDDIR)/applet/health-applet ]; then \
	  exec $(BUILDDIR)/applet/health-applet; \
	else \
	  exec $(BUILDDIR)/cli/health-monitor watch; \
	fi

test: build
	meson test -C $(BUILDDIR) --print-errorlogs --num-processes 2

bench: build
	meson test -C $(BUILDDIR) --benchmark --verbose

install: build
	meson install -C $(BUILDDIR)

clean:
	rm -rf $(BUILDDIR)
