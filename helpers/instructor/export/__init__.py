"""Export: the files written from the scores (grades.csv, feedback); they never run a notebook."""
