"""Four Readings of 1917: course data, pages, widgets, exercises and grading."""
