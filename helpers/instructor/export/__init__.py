"""Export: the files written from the scores (grades.csv, feedback, gradebooks, the class report, the
similarity report); they never run a notebook."""
