# The two commands of the README (book, test). Both set up the environment first if it is missing.
.PHONY: book test test-fast env lint exercises release bench bench-grading clean pdf

book:      ## build the HTML book into _build/html, executing every notebook, strictly
	@bin/course book

test:      ## run every test (data, integrity, build, notebooks, browser, grading)
	@bin/course test

pdf:       ## the book as one PDF and a handout per chapter, in _build/pdf (installs TeX Live if missing)
	@bin/course pdf

env:       ## create .venv with every pinned package
	@bin/course env

lint:      ## ruff over the package, tests and benchmarks: lint rules and formatting (make test runs this too)
	@.venv/bin/ruff check courseware tests bench
	@.venv/bin/ruff format --check courseware tests bench

test-fast: env  ## the quick tier while working (under a minute): no book build, no browser, nothing marked slow
	@.venv/bin/python -m pytest -n auto -m "not slow and not browser" -q

exercises: env  ## regenerate the student notebooks from instructor/exercises
	@.venv/bin/courseware exercises

DEST ?= release
REPO ?=
release: env  ## write the student edition into $(DEST) (no keys, hidden tests or rubrics); REPO= its GitHub URL
	@.venv/bin/courseware release $(DEST) $(if $(REPO),--repository-url $(REPO))

bench: env  ## print the build benchmark (clean build, no-change rebuild, a theme-file edit against a chapter edit)
	@.venv/bin/python bench/build.py

bench-grading: env  ## grade 200 submissions with courseware and with nbgrader, side by side
	@.venv/bin/python bench/grading.py

clean:
	rm -rf _build
