"""Class delivery pages: `teacher` for teachers' own classes, `manage` for coordinators."""
