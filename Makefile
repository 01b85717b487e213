# The two commands of the README. Both set up the environment first if it is missing.
.PHONY: book test env lint bench exercises release clean

book:      ## build the HTML book into _build/html, executing every notebook, strictly
	@bin/course book

test:      ## run every test (data, integrity, build, notebooks, browser, grading)
	@bin/course test

env:       ## create .venv with every pinned package
	@bin/course env

lint:
	@.venv/bin/ruff check courseware tests bench

clean:
	rm -rf _build
