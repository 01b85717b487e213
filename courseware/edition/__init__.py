"""The student edition's own parts, each in its own module, put together by `courseware.release`:

- `repository`: which repository the launch buttons open (option, git remote, or refuse);
- `student_files`: the edition's README, .gitignore, table of contents and configuration;
- `chapter_notebooks`: every notebook page of the book as an .ipynb that reads like the page;
- `launch_links`: every launch link of the built book names the repository and an existing .ipynb;
- `wheel`: a wheel of the course package with the public data and check specs inside it.
"""
