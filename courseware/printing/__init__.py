"""The print edition: the book as one PDF, a handout per chapter, and what makes both print well.

- `markdown`: the print equivalents of the widgets (MyST markdown drawn from the data);
- `latex`: a Sphinx extension, active only for the LaTeX builder, that turns links between HTML
  pages into links inside the PDF and gathers the quiz answers at the back;
- `handouts`: one short LaTeX document per chapter, from the chapter's page and data;
- `build`: runs Jupyter Book's LaTeX build and latexmk, checks the logs, and names the files.
"""
